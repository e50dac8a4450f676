from synd.model import Draft, article_id, story_id


def test_id_is_stable_and_ignores_the_body():
    a = Draft(title="ISIS's Last Gasps", published="2018-03-28", body_text="one")
    b = Draft(title="  isis's   last gasps ", published="2018-03-28", body_text="two")
    assert article_id("afgazad", a) == article_id("afgazad", b)


def test_id_prefers_the_publishers_identity():
    url = "https://www.opendemocracy.net/en/x/"
    a = Draft(title="One title", canonical_url=url)
    b = Draft(title="Another title", canonical_url=url.rstrip("/"))
    assert article_id("p1", a) == article_id("p1", b)


def test_another_partners_canonical_url_makes_its_own_article_of_the_same_story():
    """Issue 9.1: partner B sending A's canonical URL must not make a version of A's article."""
    url = "https://www.opendemocracy.net/en/x/"
    mine, theirs = Draft(title="Mine", canonical_url=url), Draft(title="Theirs", canonical_url=url)
    assert article_id("partner-a", mine) != article_id("partner-b", theirs)
    assert story_id(mine) == story_id(theirs) is not None
    assert story_id(Draft(title="no url")) is None
    assert story_id(mine) not in (article_id("partner-a", mine), article_id("partner-b", theirs))


def test_different_articles_get_different_ids():
    assert article_id("p", Draft(title="A", published="2021")) != article_id("p", Draft(title="A", published="2022"))
    assert article_id("p", Draft(title="A")) != article_id("q", Draft(title="A"))
    assert article_id("p", Draft(title="A", guid="1")) != article_id("p", Draft(title="A", guid="2"))


def test_url_ids_ignore_host_case_fragment_and_trailing_slash_but_not_path_case():
    def url_id(url):
        return article_id("p", Draft(title="t", canonical_url=url))

    assert url_id("https://Example.org/News/Story/") == url_id("https://example.org/News/Story#comments")
    assert url_id("https://example.org/News/Story") != url_id("https://example.org/news/story")
