"""The navigation bar, with the 培育扶持 section added, still fits one row at 1280 px for the accounts that see
the most entries (a county bureau's administrator and civil-affairs officer, a street officer)."""

import pytest


@pytest.mark.parametrize("who", ["admin_county", "county", "street"])
def test_the_bar_fits_one_row_at_1280(live_cast, sign_in, page, who):
    if who == "admin_county":
        from cso.demo.testing import make_user

        make_user("admin_county", "admin", "450102000000")
    page = sign_in(who)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_selector("#mainNav")
    tops = page.evaluate("""() => [...document.querySelectorAll('#mainNav > ul > li')]
        .map(li => Math.round(li.getBoundingClientRect().top))""")
    assert len(set(tops)) == 1, tops  # every entry and the user menu on one row
    assert "培育扶持" in page.inner_text("#mainNav")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
