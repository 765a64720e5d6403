"""User interfaces: the Qt desktop app (ui.*) and the command line (ui.cli)."""
