"""Build hook: compile each app's translations (``<app>/locale/<lang>/LC_MESSAGES/*.po``) into ``.mo`` files
inside the wheel, so a site that installs the wheel needs no gettext tools and no ``compilemessages``.

The ``.mo`` files are written to a temporary folder and mapped into the wheel; the checkout stays clean.
"""

import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

APPS = ("actieplan", "good_practices")


class CompileMessagesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        self._out = tempfile.TemporaryDirectory(prefix="lob-mo-")
        for app in APPS:
            for po_path in sorted((root / app / "locale").glob("*/LC_MESSAGES/*.po")):
                relative = po_path.relative_to(root).with_suffix(".mo")
                target = Path(self._out.name) / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file)
                with target.open("wb") as mo_file:
                    write_mo(mo_file, catalog)
                build_data["force_include"][str(target)] = relative.as_posix()

    def finalize(self, version, build_data, artifact_path):
        out = getattr(self, "_out", None)
        if out is not None:
            out.cleanup()
