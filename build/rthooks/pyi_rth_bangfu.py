"""PyInstaller run-time hook of the frozen program; runs before main.py.

matplotlib keeps its font list cache in MPLCONFIGDIR. PyInstaller's own hook (pyi_rth_mplconfig, removed in
bangfu.spec) points it at a new temporary folder at every start, so matplotlib rebuilt the cache each time
(seconds on a PC with many fonts). A fixed folder under the user's data folder keeps it between starts.
"""

import os


def _mpl_config_dir() -> None:
    if os.environ.get("MPLCONFIGDIR"):
        return
    try:
        from app.paths import data_dir

        folder = data_dir() / "matplotlib"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only or missing profile: matplotlib falls back to a temporary folder itself
    os.environ["MPLCONFIGDIR"] = str(folder)


_mpl_config_dir()
del _mpl_config_dir
