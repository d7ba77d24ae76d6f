"""The contract's text: the grammar's parser (text → Lark tree, with PBR001–003/PBR011) and the
literals it holds (dates, numbers, money → exact values). Nothing here knows the rules' meaning."""
