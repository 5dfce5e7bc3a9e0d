"""Small text helpers used by the blog generator."""


def slugify(title):
    """Turn a post title into a URL slug."""
    return title.lower().replace(" ", "-")


def truncate(text, width):
    """Shorten text to at most `width` characters, ending with '...' if cut."""
    if len(text) <= width:
        return text
    return text[:width] + "..."


def word_count(text):
    return len(text.split())
