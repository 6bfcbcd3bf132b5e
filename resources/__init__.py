"""Files kneelog reads at run time: the knee drawing, icons and the wording of the app."""
