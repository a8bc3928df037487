"""Refresh ``bangfu_en.ts`` from the Chinese source strings in ``ui/`` and compile ``bangfu_en.qm``.

    python resources/i18n/update.py          # extract, keep existing translations, compile with lrelease

Why not ``pyside6-lupdate``: it only sees ``self.tr()`` and ``QCoreApplication.translate`` literally, while
the workbench's modules call a one-line ``tr(text)`` helper bound to a fixed context (so module-level
functions translate too). This reads the code with ``ast``: each module's ``def tr`` names its context;
``tr("…")``, ``QCoreApplication.translate("ctx", "…")`` and ``QT_TRANSLATE_NOOP("ctx", "…")`` (alias ``N``)
are collected. Strings already translated in the .ts keep their translation; new ones are "unfinished".
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "bangfu_en.ts"
QM = HERE / "bangfu_en.qm"
NOOP_NAMES = {"QT_TRANSLATE_NOOP", "N"}


def _const(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _helper_contexts(tree: ast.Module) -> dict[str, str]:
    """Module-level helpers ``def tr(text): return QCoreApplication.translate("ctx", text)``."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "translate"
                    and call.args
                    and _const(call.args[0]) is not None
                    and isinstance(call.args[1], ast.Name)
                ):
                    out[node.name] = _const(call.args[0]) or ""
    return out


def extract(paths: list[Path]) -> dict[tuple[str, str], str]:
    """(context, source) → "file:line" of the first use."""
    found: dict[tuple[str, str], str] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = _helper_contexts(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            pair: tuple[str, str] | None = None
            if name in helpers and isinstance(func, ast.Name) and node.args and _const(node.args[0]) is not None:
                pair = (helpers[name], _const(node.args[0]) or "")
            elif name in NOOP_NAMES | {"translate"} and len(node.args) >= 2:
                ctx, text = _const(node.args[0]), _const(node.args[1])
                if ctx is not None and text is not None:
                    pair = (ctx, text)
            if pair and pair[1].strip():
                found.setdefault(pair, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def existing() -> dict[tuple[str, str], str]:
    if not TS.exists():
        return {}
    out = {}
    for context in ET.parse(TS).getroot().iter("context"):
        ctx = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            text = translation.text if translation is not None else None
            if text and (translation is None or translation.get("type") != "unfinished"):
                out[(ctx, message.findtext("source") or "")] = text
    return out


def write(found: dict[tuple[str, str], str], known: dict[tuple[str, str], str]) -> int:
    root = ET.Element("TS", version="2.1", language="en", sourcelanguage="zh_CN")
    missing = 0
    for ctx in sorted({c for c, _ in found}):
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = ctx
        for (c, source), where in sorted(found.items(), key=lambda kv: kv[1]):
            if c != ctx:
                continue
            message = ET.SubElement(context, "message")
            file, line = where.rsplit(":", 1)
            ET.SubElement(message, "location", filename=f"../../{file}", line=line)
            ET.SubElement(message, "source").text = source
            translation = ET.SubElement(message, "translation")
            if (ctx, source) in known:
                translation.text = known[(ctx, source)]
            else:
                translation.set("type", "unfinished")
                missing += 1
    ET.indent(root)
    TS.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode") + "\n",
        encoding="utf-8",
    )
    return missing


def compile_qm() -> bool:
    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    if not Path(tool).exists() and not shutil.which(tool):
        print("pyside6-lrelease not found; .qm not rebuilt", file=sys.stderr)
        return False
    subprocess.run([tool, "-silent", str(TS), "-qm", str(QM)], check=True)
    return True


def main() -> int:
    paths = sorted((ROOT / "ui").rglob("*.py"))
    found = extract(paths)
    missing = write(found, existing())
    compiled = compile_qm()
    print(f"{len(found)} strings, {missing} untranslated; .qm {'compiled' if compiled else 'not compiled'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
