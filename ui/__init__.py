"""The PySide6 desktop workbench. Holds no business rule: it calls ``app`` services on a background worker."""
