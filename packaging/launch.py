"""The bundle's entry point: what `kneelog` (the gui-script) runs, as a plain script."""

from kneelog.app import main

raise SystemExit(main())
