"""Call the map's JavaScript (``kehoach/adapters/js/kehoach-map.js``) from a folium map.

The script is served with the app and linked like Leaflet (see ``assets.asset_urls``); a
folium map only carries calls ``KhMap.<function>(map, config)`` whose config is JSON.
"""

from __future__ import annotations

from typing import Any, cast

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from kehoach.escape import json_for_script


class _RawText(Element):
    """Hold already-rendered text; ``Element(text)`` would compile it as a Jinja template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self._text


class MapCall(MacroElement):
    """Add one ``KhMap.<function>(map, config, *raw)`` call to a map's script.

    The config is serialised once, when the element is made. Rendering adds the call
    as raw text: branca would compile each macro's output as a Jinja template, which for
    the sites' megabytes of data costs more than building them.
    """

    # streamlit-folium reads each element's ``script`` macro itself, so keep one.
    _template = Template("{% macro script(this, kwargs) %}{{ this.js_call() }}{% endmacro %}")

    def __init__(
        self,
        function: str,
        config: Any,
        name: str = "KhCall",
        *raw: str,
        bounds: list[list[float]] | None = None,
    ) -> None:
        super().__init__()
        self._name = name
        self._bounds = bounds
        self.function = function
        self.arguments = ", ".join((json_for_script(config), *raw))

    def get_bounds(self) -> list[list[float | None]]:
        """Return the bounds this call fits the view to (folium and streamlit-folium read it)."""
        if self._bounds is None:
            return [[None, None], [None, None]]
        return [list(corner) for corner in self._bounds]

    def js_call(self) -> str:
        """Return the JavaScript statement that makes this call on the parent map."""
        assert self._parent is not None, "a map call is rendered inside its map"
        return f"KhMap.{self.function}({self._parent.get_name()}, {self.arguments});"

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement.render
        """Add this call to the figure's script."""
        text = self._template.module.script(self, kwargs)
        figure = cast(Figure, self.get_root())
        figure.script.add_child(_RawText(str(text)), name=self.get_name())


def add_call(
    fmap: folium.Map,
    function: str,
    config: Any,
    name: str = "KhCall",
    *raw: str,
    bounds: list[list[float]] | None = None,
) -> folium.Map:
    """Append ``KhMap.<function>(map, config, *raw)`` to ``fmap``'s script; return the map.

    ``raw`` are further arguments already serialised by ``json_for_script`` (kept to reuse).
    """
    MapCall(function, config, name, *raw, bounds=bounds).add_to(fmap)
    return fmap
