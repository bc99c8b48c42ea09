"""Prints, as JSON, what a screen reader reads of every application on the AT-SPI bus: each
node's role, name, description, whether it can take the focus, its value range, and the
nearest enclosing group that has a description (a card). Used by tests/window.rs."""
import json
import sys

import pyatspi

out = []


def walk(node, depth, group):
    try:
        role = node.getRoleName()
        name = node.name or ""
        desc = node.description or ""
        focusable = node.getState().contains(pyatspi.STATE_FOCUSABLE)
    except Exception:
        return
    value = None
    try:
        v = node.queryValue()
        value = [v.minimumValue, v.currentValue, v.maximumValue]
    except Exception:
        pass
    out.append({"role": role, "name": name, "desc": desc, "depth": depth,
                "focusable": focusable, "group": group, "value": value})
    if role in ("grouping", "panel") and name and desc:
        group = name
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, depth + 1, group)


desktop = pyatspi.Registry.getDesktop(0)
for i in range(desktop.childCount):
    app = desktop.getChildAtIndex(i)
    if app is not None:
        walk(app, 0, None)
json.dump(out, sys.stdout)
