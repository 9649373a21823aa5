"""The site: charts, pages and exports rendered from the analysis, the page cache and the
generated tree, and the engines that publish it (the MkDocs plugin, Zensical, serve)."""
