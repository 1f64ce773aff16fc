"""Plain libcst helpers: a read-only walk and layout-keeping edits."""
