"""Small text helpers used by the blog generator."""


def slugify(title):
    """Turn a post title into a URL slug."""
    words = []
    for chunk in title.lower().replace("-", " ").split():
        word = "".join(c for c in chunk if c.isalnum())
        if word:
            words.append(word)
    return "-".join(words)


def truncate(text, width):
    """Shorten text to at most `width` characters, ending with '...' if cut."""
    if len(text) <= width:
        return text
    return text[:width - 3] + "..."


def word_count(text):
    return len(text.split())


def initials(name):
    """'ada lovelace' -> 'A.L.'"""
    return "".join(word[0].upper() + "." for word in name.split())
