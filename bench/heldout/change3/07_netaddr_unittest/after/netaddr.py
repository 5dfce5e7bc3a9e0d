"""IPv4 helpers for the office network scripts."""


def parse_ip(text):
    """'192.168.1.10' -> 3232235786"""
    parts = text.split(".")
    if len(parts) != 4:
        raise ValueError(f"not an IPv4 address: {text!r}")
    value = 0
    for part in parts:
        if not part.isdigit():
            raise ValueError(f"not an IPv4 address: {text!r}")
        number = int(part)
        if number > 255:
            raise ValueError(f"not an IPv4 address: {text!r}")
        value = value * 256 + number
    return value


def format_ip(value):
    """3232235786 -> '192.168.1.10'"""
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def parse_cidr(text):
    """'10.0.0.0/8' -> (167772160, 8)"""
    address, prefix = text.split("/")
    prefix = int(prefix)
    if not 0 <= prefix <= 32:
        raise ValueError(f"bad prefix length: {prefix}")
    return parse_ip(address), prefix


def netmask(prefix):
    """24 -> 0xFFFFFF00"""
    return (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF


def in_network(ip, cidr):
    network, prefix = parse_cidr(cidr)
    mask = netmask(prefix)
    return (parse_ip(ip) & mask) == (network & mask)


def host_count(cidr):
    """Usable host addresses: '192.168.1.0/24' -> 254 (/31 -> 2, /32 -> 1)."""
    _, prefix = parse_cidr(cidr)
    size = 2 ** (32 - prefix)
    if prefix >= 31:
        return size
    return size - 2
