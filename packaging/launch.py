"""The bundle's entry point: what `kneelog` (the gui-script) runs, as a plain script."""

import multiprocessing

from kneelog.app import main

if __name__ == "__main__":
    # An export's files are parsed in worker processes, which start from this script: in a
    # bundle, freeze_support() makes them workers; the guard keeps them from opening a window.
    multiprocessing.freeze_support()
    raise SystemExit(main())
