"""The program's version, shown in the About box and written into exported records."""
__version__ = "0.1.0"
