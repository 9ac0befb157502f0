"""The Python runtime's parameter serialisation (OpenAPI styles), as the TypeScript runtime writes it."""

from __future__ import annotations

import pytest
from platform_sdk._base_client import _simple, encode_query, query_string, render_path


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (["a", "b"], ("form", True), "p=a&p=b"),
        (["a", "b"], ("form", False), "p=a,b"),
        (["a,b", "c d"], ("form", False), "p=a%2Cb,c%20d"),  # the delimiter is literal, an item's own comma not
        (["a", "b"], ("spaceDelimited", False), "p=a%20b"),
        (["a", "b"], ("pipeDelimited", False), "p=a%7Cb"),
        ({"x": 1, "y": True}, ("form", True), "x=1&y=true"),
        ({"x": 1, "y": True}, ("form", False), "p=x,1,y,true"),
        (
            {"a": {"b": 1}, "ids": [1, 2], "on": False},
            ("deepObject", True),
            "p%5Ba%5D%5Bb%5D=1&p%5Bids%5D%5B0%5D=1&p%5Bids%5D%5B1%5D=2&p%5Bon%5D=false",
        ),
        # deepObject: an array holding objects numbers its items (the only way to keep them apart)
        (
            {"items": [{"p": 1}, {"p": 2}]},
            ("deepObject", True),
            "p%5Bitems%5D%5B0%5D%5Bp%5D=1&p%5Bitems%5D%5B1%5D%5Bp%5D=2",
        ),
        ([{"a": 1}], ("deepObject", True), "p%5B0%5D%5Ba%5D=1"),
        (["x", "y"], ("deepObject", True), "p=x&p=y"),
        # arrays of objects: OpenAPI defines no serialisation; each item is JSON (never a Python repr)
        ([{"name": "x", "value": "1"}], ("form", True), "p=%7B%22name%22%3A%22x%22%2C%22value%22%3A%221%22%7D"),
        ([{"name": "x"}, {"name": "y"}], ("form", False), "p=%7B%22name%22%3A%22x%22%7D,%7B%22name%22%3A%22y%22%7D"),
        ({"range": [1, 2]}, ("form", True), "range=%5B1%2C2%5D"),
        ("a b&c=d/é", ("form", True), "p=a%20b%26c%3Dd%2F%C3%A9"),
        # declared with JSON `content`: the JSON text, ASCII only (as the TypeScript runtime writes it)
        (
            {"name": "café", "ids": [1, 2]},
            ("json", False),
            "p=%7B%22name%22%3A%22caf%5Cu00e9%22%2C%22ids%22%3A%5B1%2C2%5D%7D",
        ),
        ("a", ("json", False), "p=%22a%22"),
    ],
)
def test_query_styles(value: object, style: tuple[str, bool], expected: str) -> None:
    assert query_string(encode_query({"p": value}, {"p": style})) == expected


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
    assert render_path("/p/{f}", {"f": {"a": 1}}, {"f": ("json", False)}) == "/p/%7B%22a%22%3A1%7D"


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


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        # RFC 6570 reserved expansion: reserved characters and percent-encoded triples kept, `#[]&=+` and the rest
        # (space, non-ASCII, a lone `%`) encoded
        ("https://x.test/a?b=c", ("form", True), "p=https://x.test/a?b%3Dc"),
        ("a:b/c@d!$'()*,;", ("form", True), "p=a:b/c@d!$'()*,;"),
        ("100%25 & #[x]+é%", ("form", True), "p=100%25%20%26%20%23%5Bx%5D%2B%C3%A9%25"),
        (["a/b", "c,d"], ("form", False), "p=a/b,c,d"),
        (["a/b", "c:d"], ("form", True), "p=a/b&p=c:d"),
    ],
)
def test_allow_reserved_keeps_reserved_characters(value: object, style: tuple[str, bool], expected: str) -> None:
    assert query_string(encode_query({"p": value}, {"p": style}, frozenset({"p"}))) == expected
    assert query_string(encode_query({"p": value}, {"p": style})) != expected  # without it they are encoded
