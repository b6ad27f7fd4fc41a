from analytics.formatting import fmt_int, fmt_number, fmt_pct, fmt_rank, fmt_signed, rank_change_words


def test_vietnamese_numbers():
    assert fmt_number(73.79) == "73,79"
    assert fmt_number(1234.5) == "1.234,50"
    assert fmt_int(1234) == "1.234"
    assert fmt_signed(-7.21) == "−7,21"
    assert fmt_signed(1.17) == "+1,17"
    assert fmt_signed(0.0) == "0,00"
    assert fmt_number(-0.001) == "0,00"
    assert fmt_pct(97) == "97,0%"
    assert fmt_rank(9, 10) == "9/10"
    assert fmt_number(None) == fmt_number(float("nan")) == "–"


def test_rank_change_words():
    assert rank_change_words(-2) == "giảm 2 bậc"
    assert rank_change_words(3) == "tăng 3 bậc"
    assert rank_change_words(0) == "giữ nguyên"
