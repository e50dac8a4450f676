"""synd.render.pagers: which months a render reads for the previous/next links, and the links it wants."""
from synd.publish.html import NavLink, Pager
from synd.render.entries import StoredEntry
from synd.render.pagers import links, months_to_read, pager_hash


def stored(article_id, published, withdrawn=False, pager=None):
    return StoredEntry({"id": article_id, "title": article_id.upper(), "published": published,
                        "updated": published, "withdrawn": withdrawn}, "write-1", pager)


MONTHS = {"2020-01": [stored("a", "2020-01-05"), stored("b", "2020-01-09")],
          "2020-02": [stored("c", "2020-02-03", withdrawn=True)],  # nothing visible
          "2020-03": [stored("d", "2020-03-01")],
          "2020-04": [stored("e", "2020-04-02"), stored("f", "2020-04-07")],
          "2020-05": [stored("g", "2020-05-01"), stored("h", "2020-05-02"), stored("i", "2020-05-03")]}


def visible_of(month):
    return [s for s in MONTHS[month] if not s.entry["withdrawn"]]


def test_a_changed_month_is_read_with_two_visible_entries_beyond_it_on_each_side():
    read = []

    def counting(month):
        read.append(month)
        return len(visible_of(month))

    assert months_to_read(list(MONTHS), {"2020-03"}, counting) == [["2020-01", "2020-02", "2020-03", "2020-04"]]
    assert sorted(read) == ["2020-01", "2020-02", "2020-04"]  # an empty month is walked through


def test_every_page_read_is_linked_except_the_outermost_ones_whose_outer_neighbour_was_not_read():
    run = ["2020-01", "2020-02", "2020-03", "2020-04"]
    wanted = {link.stored.entry["id"]: link.pager for link in links(run, list(MONTHS), visible_of)}
    assert set(wanted) == {"a", "b", "d", "e"}  # f: its newer neighbour is in 2020-05, not read
    assert wanted["d"] == Pager(newer=NavLink("e", "E"), older=NavLink("b", "B"))  # c is withdrawn: skipped
    assert wanted["a"] == Pager(newer=NavLink("b", "B"), older=None)  # the oldest article of the language


def test_a_page_whose_recorded_links_are_the_wanted_ones_is_unchanged():
    pager = Pager(newer=NavLink("e", "E"), older=NavLink("b", "B"))
    months = dict(MONTHS, **{"2020-03": [stored("d", "2020-03-01", pager=pager_hash(pager))]})
    wanted = {link.stored.entry["id"]: link for link in
              links(["2020-01", "2020-02", "2020-03", "2020-04"], list(months),
                    lambda m: [s for s in months[m] if not s.entry["withdrawn"]])}
    assert not wanted["d"].changed and wanted["e"].changed
    assert pager_hash(Pager(newer=NavLink("e", "E'"), older=NavLink("b", "B"))) != pager_hash(pager)  # a new title
