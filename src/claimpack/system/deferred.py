"""Modules imported only when first used: stand-ins in sys.modules until an attribute is read."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


class DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is read, then imports it and becomes it."""

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        module = importlib.import_module(name)
        self.__dict__.update(module.__dict__)  # references taken before the import see the real module
        return getattr(module, attribute)


def defer(*names: str) -> None:
    """Put a stand-in for each module not imported yet: `import name` is then free until it is used."""
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        module = DeferredModule(name)
        module.__spec__ = spec  # the import system reads only this of a module already in sys.modules
        sys.modules[name] = module
