"""Bangfu (帮扶通): the library half of the program. Imports no Qt; the GUI in ``ui/`` only calls it."""

__version__ = "0.1.0"
APP_NAME = "Bangfu"
APP_NAME_ZH = "帮扶通"
