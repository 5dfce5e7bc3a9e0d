"""Run with: python test_stack.py"""
import unittest

from brackets import is_balanced
from stack import Stack


class StackTests(unittest.TestCase):
    def test_push_pop_order(self):
        s = Stack()
        for x in (1, 2, 3):
            s.push(x)
        self.assertEqual([s.pop(), s.pop(), s.pop()], [3, 2, 1])

    def test_len_and_empty(self):
        s = Stack()
        self.assertTrue(s.is_empty())
        s.push("a")
        s.push("b")
        self.assertEqual(len(s), 2)
        self.assertFalse(s.is_empty())

    def test_peek(self):
        s = Stack()
        s.push("x")
        s.push("y")
        self.assertEqual(s.peek(), "y")
        self.assertEqual(len(s), 2)

    def test_pop_empty(self):
        with self.assertRaises(IndexError) as ctx:
            Stack().pop()
        self.assertEqual(str(ctx.exception), "pop from empty stack")

    def test_peek_empty(self):
        with self.assertRaises(IndexError) as ctx:
            Stack().peek()
        self.assertEqual(str(ctx.exception), "peek at empty stack")


class BracketTests(unittest.TestCase):
    def test_balanced(self):
        self.assertTrue(is_balanced("f(a[1], {b: 2})"))
        self.assertTrue(is_balanced(""))

    def test_not_balanced(self):
        self.assertFalse(is_balanced("(]"))
        self.assertFalse(is_balanced("(()"))
        self.assertFalse(is_balanced("())"))


if __name__ == "__main__":
    unittest.main()
