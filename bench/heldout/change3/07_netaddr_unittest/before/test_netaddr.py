import unittest

from netaddr import format_ip, host_count, in_network, netmask, parse_cidr, parse_ip


class ParseTests(unittest.TestCase):
    def test_parse_ip(self):
        self.assertEqual(parse_ip("192.168.1.10"), 3232235786)
        self.assertEqual(parse_ip("0.0.0.0"), 0)
        self.assertEqual(parse_ip("255.255.255.255"), 2**32 - 1)

    def test_parse_ip_rejects_bad_addresses(self):
        for bad in ["1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.999", "a.b.c.d", ""]:
            with self.subTest(bad=bad):
                with self.assertRaises(ValueError):
                    parse_ip(bad)

    def test_format_ip_round_trip(self):
        for text in ["10.0.0.1", "172.16.254.3", "8.8.4.4"]:
            self.assertEqual(format_ip(parse_ip(text)), text)

    def test_parse_cidr(self):
        self.assertEqual(parse_cidr("10.0.0.0/8"), (167772160, 8))
        with self.assertRaises(ValueError):
            parse_cidr("10.0.0.0/33")


class NetworkTests(unittest.TestCase):
    def test_netmask(self):
        self.assertEqual(netmask(24), 0xFFFFFF00)
        self.assertEqual(netmask(0), 0)
        self.assertEqual(netmask(32), 0xFFFFFFFF)
        self.assertEqual(format_ip(netmask(20)), "255.255.240.0")

    def test_in_network(self):
        self.assertTrue(in_network("10.1.2.3", "10.0.0.0/8"))
        self.assertFalse(in_network("11.0.0.1", "10.0.0.0/8"))
        self.assertTrue(in_network("192.168.1.255", "192.168.1.0/24"))
        self.assertFalse(in_network("192.168.2.0", "192.168.1.0/24"))
        self.assertTrue(in_network("8.8.8.8", "0.0.0.0/0"))
        self.assertTrue(in_network("10.0.0.7", "10.0.0.7/32"))
        self.assertFalse(in_network("10.0.0.8", "10.0.0.7/32"))

    def test_host_count(self):
        self.assertEqual(host_count("192.168.1.0/24"), 254)
        self.assertEqual(host_count("10.0.0.0/30"), 2)
        self.assertEqual(host_count("10.0.0.0/31"), 2)
        self.assertEqual(host_count("10.0.0.1/32"), 1)
        self.assertEqual(host_count("10.0.0.0/8"), 16777214)


if __name__ == "__main__":
    unittest.main()
