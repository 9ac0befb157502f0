"""The Python runtime's parameter serialisation (OpenAPI styles), as the TypeScript runtime writes it."""

from __future__ import annotations

import pytest
from platform_sdk._base_client import _simple, encode_query, render_path


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (["a", "b"], ("form", True), [("p", "a"), ("p", "b")]),
        (["a", "b"], ("form", False), [("p", "a,b")]),
        (["a", "b"], ("spaceDelimited", False), [("p", "a b")]),
        (["a", "b"], ("pipeDelimited", False), [("p", "a|b")]),
        ({"x": 1, "y": True}, ("form", True), [("x", "1"), ("y", "true")]),
        ({"x": 1, "y": True}, ("form", False), [("p", "x,1,y,true")]),
        (
            {"a": {"b": 1}, "ids": [1, 2], "on": False},
            ("deepObject", True),
            [("p[a][b]", "1"), ("p[ids]", "1"), ("p[ids]", "2"), ("p[on]", "false")],
        ),
        # arrays of objects: OpenAPI defines no serialisation; each item is JSON (never a Python repr)
        ([{"name": "x", "value": "1"}], ("form", True), [("p", '{"name":"x","value":"1"}')]),
        ([{"name": "x"}, {"name": "y"}], ("form", False), [("p", '{"name":"x"},{"name":"y"}')]),
        ({"range": [1, 2]}, ("form", True), [("range", "[1,2]")]),
    ],
)
def test_query_styles(value: object, style: tuple[str, bool], expected: list[tuple[str, str]]) -> None:
    assert encode_query({"p": value}, {"p": style}) == expected


def test_headers_and_cookies_use_the_simple_style() -> None:
    assert _simple(["a", "b"]) == "a,b"
    assert _simple({"k": "v", "n": 2}) == "k,v,n,2"
    assert _simple({"k": "v", "n": 2}, explode=True) == "k=v,n=2"
    assert _simple(True) == "true"


def test_path_parameters_are_percent_encoded_but_their_separators_are_not() -> None:
    assert render_path("/items/{id}", {"id": "a/b c"}) == "/items/a%2Fb%20c"
    assert render_path("/items/{ids}", {"ids": ["x,y", 2]}) == "/items/x%2Cy,2"
    assert render_path("/q/{f}", {"f": {"a b": "1/2"}}) == "/q/a%20b,1%2F2"
    assert render_path("/m/{id}", {"id": "5"}, {"id": ("matrix", False)}) == "/m/;id=5"


COLOR = ["blue", "black", "brown"]
RGB = {"R": 100, "G": 200, "B": 150}


# the style tables of the OpenAPI specification (3.0.3 and 3.1, "Style Examples"), for a parameter named `color`
@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("simple", False, "blue", "blue"),
        ("simple", False, COLOR, "blue,black,brown"),
        ("simple", False, RGB, "R,100,G,200,B,150"),
        ("simple", True, COLOR, "blue,black,brown"),
        ("simple", True, RGB, "R=100,G=200,B=150"),
        ("label", False, "blue", ".blue"),
        ("label", False, COLOR, ".blue,black,brown"),
        ("label", False, RGB, ".R,100,G,200,B,150"),
        ("label", True, COLOR, ".blue.black.brown"),
        ("label", True, RGB, ".R=100.G=200.B=150"),
        ("matrix", False, "blue", ";color=blue"),
        ("matrix", False, "", ";color"),
        ("matrix", False, COLOR, ";color=blue,black,brown"),
        ("matrix", False, RGB, ";color=R,100,G,200,B,150"),
        ("matrix", True, COLOR, ";color=blue;color=black;color=brown"),
        ("matrix", True, RGB, ";R=100;G=200;B=150"),
    ],
)
def test_path_styles_follow_the_specification_tables(style: str, explode: bool, value: object, expected: str) -> None:
    assert render_path("/p/{color}", {"color": value}, {"color": (style, explode)}) == "/p/" + expected
