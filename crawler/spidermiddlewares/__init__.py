"""Spider middlewares: paging (a list's later pages keep its first page's depth)."""
