"""QR codes as inline SVG: the drawing is exactly the encoder's modules, with finder patterns in
three corners and a quiet zone of four modules."""

import re

from tongban.core.qr import QUIET_ZONE, qr_modules, qr_svg

URI = "otpauth://totp/%E9%80%9A%E5%8A%9E:staff_a1?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=%E9%80%9A%E5%8A%9E"
FINDER = [
    [True] * 7,
    [True, False, False, False, False, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, True, True, True, False, True],
    [True, False, False, False, False, False, True],
    [True] * 7,
]


def drawn_modules(svg: str) -> list[list[bool]]:
    """The modules an SVG from qr_svg paints black, read back from its path."""
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg)[1])
    grid = [[False] * side for _ in range(side)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", re.search(r' d="([^"]+)"', svg)[1]):
        for dx in range(int(width)):
            grid[int(y)][int(x) + dx] = True
    return grid


def test_the_svg_draws_the_encoders_modules_inside_a_quiet_zone():
    modules = qr_modules(URI)
    drawn = drawn_modules(str(qr_svg(URI, label="二维码")))
    size = len(modules)
    assert size == 45  # version 7: 108 bytes exceed the 106 of version 6 at level M
    assert len(drawn) == size + 2 * QUIET_ZONE
    assert [row[QUIET_ZONE : QUIET_ZONE + size] for row in drawn[QUIET_ZONE : QUIET_ZONE + size]] == modules
    border = drawn[:QUIET_ZONE] + drawn[-QUIET_ZONE:] + [r[:QUIET_ZONE] + r[-QUIET_ZONE:] for r in drawn]
    assert not any(any(row) for row in border)


def test_finder_patterns_sit_in_three_corners():
    modules = qr_modules(URI)
    corner = len(modules) - 7
    assert [row[:7] for row in modules[:7]] == FINDER
    assert [row[corner:] for row in modules[:7]] == FINDER
    assert [row[:7] for row in modules[corner:]] == FINDER
    assert [row[corner:] for row in modules[corner:]] != FINDER


def test_different_data_gives_a_different_code():
    assert qr_modules(URI) != qr_modules(URI.replace("JBSW", "KBSW"))


def test_the_svg_is_named_for_screen_readers_and_escapes_its_label():
    svg = str(qr_svg("x", label='绑定"二维码"'))
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 29 29" width="116"'
    )
    assert 'role="img" aria-label="绑定&quot;二维码&quot;"' in svg
