"""The footer licence scan (meta._footer_licence_lines) and the attribute-first XPaths of the HTML
parts: what they read is pinned here, so a faster expression cannot read something else."""
from __future__ import annotations

import lxml.html

from synd.formats.html import authors, body, meta


def page(body_html: str):
    return lxml.html.document_fromstring(f"<html><head></head><body>{body_html}</body></html>")


def test_footer_lines_come_from_footers_and_marked_blocks_in_page_order():
    tree = page('<div id="site-copyright">© 2021 Example Media</div><p>© 2020 Not a footer</p>'
                '<footer><p>Contact</p><p>All rights reserved.</p></footer>'
                '<section class="legal-notes"><span>Licensed under CC BY 4.0</span></section>')
    assert meta._footer_licence_lines(tree) == ["© 2021 Example Media", "All rights reserved.",
                                                "Licensed under CC BY 4.0"]


def test_nested_footers_are_read_once_and_the_scan_stops_at_the_limit():
    tree = page('<footer class="footer"><div class="copyright"><p>© 2019 One</p></div><p>© 2019 Two</p>'
                '<p>© 2019 Three</p><p>© 2019 Four</p></footer>')
    assert meta._footer_licence_lines(tree) == ["© 2019 One", "© 2019 Two", "© 2019 Three"]
    assert meta._footer_licence_lines(tree, limit=5) == ["© 2019 One", "© 2019 Two", "© 2019 Three", "© 2019 Four"]


def test_footer_scan_reads_the_text_that_opens_an_element_not_tails_scripts_or_comments():
    tree = page('<footer><p><b>Menu</b>© 2018 Tail text</p><script>var c = "© 2018 Script";</script>'
                '<!-- © 2018 Comment --><style>/* © 2018 Style */</style><p>\u00a0</p></footer>'
                '<footer>© 2018 Opening text<p>x</p></footer>')
    assert meta._footer_licence_lines(tree) == ["© 2018 Opening text"]


def test_rel_license_links_only_on_a_and_link():
    tree = page('<a rel="nofollow license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'
                '<span rel="license">not a link</span><a rel="licensed">no</a>')
    hints = [h for h in meta.license_hints(tree, {}) if h.where == "rel-license"]
    assert [(h.text, h.url) for h in hints] == [("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")]


def test_byline_elements_are_found_by_class_or_itemprop_in_page_order():
    tree = page('<span itemprop="author">Ana Ruiz</span><div class="post-meta">x</div><p class="writer">y</p>'
                '<p id="author">not by id</p>')
    assert [e.text for e in tree.xpath(authors.BYLINE_XPATH)] == ["Ana Ruiz", "x", "y"]


def test_bordered_boxes_are_found_below_body_only():
    tree = lxml.html.document_fromstring('<html><body style="border: 0"><div style="border:1px solid">a</div>'
                                         '<p style="color: red">b</p></body></html>')
    assert [e.text for e in body.BORDERED(tree)] == ["a"]


def test_only_a_link_counts_the_links_text_as_joined():
    assert body._only_a_link(lxml.html.fragment_fromstring("<li><a>One story</a> <a>Two</a></li>"))
    assert not body._only_a_link(lxml.html.fragment_fromstring("<li><a>One</a> and a longer text of its own</li>"))
    assert not body._only_a_link(lxml.html.fragment_fromstring("<li> <a></a> </li>"))
    assert body._only_a_link(lxml.html.fragment_fromstring("<li><a>Some story title here</a>.</li>"))
