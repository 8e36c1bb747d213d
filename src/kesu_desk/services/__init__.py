"""Use cases the screens and the command line call; each runs in one unit of work."""
