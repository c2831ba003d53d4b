from tongban.core.pdf_fonts import pdf_font_exists


def test_a_missing_font_stops_start_up_with_a_hint(settings, tmp_path):
    settings.TONGBAN_PDF_FONT = str(tmp_path / "missing.ttc")

    [error] = pdf_font_exists(None)

    assert error.id == "core.E001"
    assert "fonts-wqy-zenhei" in error.hint


def test_the_installed_font_passes():
    assert pdf_font_exists(None) == []
