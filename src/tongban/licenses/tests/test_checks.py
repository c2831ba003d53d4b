from tongban.licenses.checks import license_font_exists


def test_a_missing_font_stops_start_up_with_a_hint(settings, tmp_path):
    settings.TONGBAN_LICENSE_FONT = str(tmp_path / "missing.ttc")

    [error] = license_font_exists(None)

    assert error.id == "licenses.E001"
    assert "fonts-wqy-zenhei" in error.hint


def test_the_installed_font_passes():
    assert license_font_exists(None) == []
