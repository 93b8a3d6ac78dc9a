import pytest

from bot.commands import MAX_TEXT, parse
from bot.errors import UserFacingError


def test_add_parses_url_title_tags_and_promo():
    cmd = parse("add https://example.com/post Great read on AI #ai #Cloud promo")
    assert cmd.name == "add"
    assert cmd.args == {"url": "https://example.com/post", "title": "Great read on AI",
                        "tags": ["ai", "cloud"], "promotional": True}


def test_multi_word_commands_win_over_their_first_word():
    assert parse("digest now").name == "digest"
    assert parse("faq list").name == "faq.list"
    assert parse("use this channel").name == "use_channel"


def test_slash_prefix_and_case_are_ignored():
    assert parse("/advocacy Points").name == "points"


def test_polish_aliases_work():
    assert parse("punkty").name == "points"
    assert parse("dołącz").name == "join"
    assert parse("ranking").name == "leaderboard"


def test_unknown_command_suggests_the_closest():
    with pytest.raises(UserFacingError) as err:
        parse("leaderbord")
    assert err.value.key == "error.unknown_command_suggest"
    assert err.value.params["suggestion"] == "leaderboard"


def test_gibberish_gets_no_suggestion():
    with pytest.raises(UserFacingError) as err:
        parse("xyzzy")
    assert err.value.key == "error.unknown_command"


def test_a_question_without_ask_is_a_policy_question():
    cmd = parse("Can I post photos from the office party?")
    assert cmd == parse("ask Can I post photos from the office party?").__class__("ask", {
        "question": "Can I post photos from the office party?"})


def test_missing_arguments_show_usage():
    with pytest.raises(UserFacingError) as err:
        parse("ask")
    assert err.value.key == "error.missing_args"
    assert err.value.params["usage"] == "ask <question>"


def test_faq_add_needs_question_and_answer():
    with pytest.raises(UserFacingError):
        parse("faq add only a question")
    cmd = parse("faq add Can I post memes? | Yes, keep it kind. | allowed")
    assert cmd.args == {"question": "Can I post memes?", "answer": "Yes, keep it kind.", "verdict": "allowed"}


def test_text_over_the_limit_is_refused():
    with pytest.raises(UserFacingError) as err:
        parse("ask " + "x" * MAX_TEXT)
    assert err.value.key == "error.too_long"


def test_extra_words_after_a_bare_command_are_refused():
    with pytest.raises(UserFacingError) as err:
        parse("points please")
    assert err.value.key == "error.unexpected_args"


def test_empty_text_means_help():
    assert parse("   ").name == "help"
