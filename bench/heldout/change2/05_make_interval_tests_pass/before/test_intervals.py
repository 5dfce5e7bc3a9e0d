import unittest

from intervals import merge, overlaps, total_length


class OverlapsTest(unittest.TestCase):
    def test_overlapping(self):
        self.assertTrue(overlaps((1, 5), (4, 8)))

    def test_touching(self):
        self.assertTrue(overlaps((1, 3), (3, 6)))

    def test_apart(self):
        self.assertFalse(overlaps((1, 2), (5, 6)))


class MergeTest(unittest.TestCase):
    def test_empty(self):
        self.assertEqual(merge([]), [])

    def test_sorted_input(self):
        self.assertEqual(merge([(1, 3), (2, 6), (8, 10)]), [(1, 6), (8, 10)])

    def test_unsorted_input(self):
        self.assertEqual(merge([(8, 10), (1, 3), (2, 6)]), [(1, 6), (8, 10)])

    def test_touching_ranges_join(self):
        self.assertEqual(merge([(1, 3), (3, 5)]), [(1, 5)])

    def test_range_inside_another(self):
        self.assertEqual(merge([(1, 10), (2, 4)]), [(1, 10)])

    def test_input_not_changed(self):
        data = [(5, 6), (1, 2)]
        merge(data)
        self.assertEqual(data, [(5, 6), (1, 2)])


class TotalLengthTest(unittest.TestCase):
    def test_empty(self):
        self.assertEqual(total_length([]), 0)

    def test_single(self):
        self.assertEqual(total_length([(2, 7)]), 5)

    def test_overlap_counted_once(self):
        self.assertEqual(total_length([(1, 3), (2, 6), (8, 9)]), 6)


if __name__ == "__main__":
    unittest.main()
