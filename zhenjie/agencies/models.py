"""Models of the app (to be built)."""
