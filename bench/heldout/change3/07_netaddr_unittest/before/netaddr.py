"""IPv4 helpers for the office network scripts."""


def parse_ip(text):
    """'192.168.1.10' -> 3232235786"""
    value = 0
    for part in text.split("."):
        value = value * 256 + int(part)
    return value


def format_ip(value):
    """3232235786 -> '192.168.1.10'"""
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def parse_cidr(text):
    """'10.0.0.0/8' -> (167772160, 8)"""
    address, prefix = text.split("/")
    return parse_ip(address), int(prefix)


def netmask(prefix):
    """24 -> 0xFFFFFF00"""
    return (1 << prefix) - 1


def in_network(ip, cidr):
    network, prefix = parse_cidr(cidr)
    mask = netmask(prefix)
    return (parse_ip(ip) & mask) == (network & mask)
