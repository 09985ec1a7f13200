;; Hostile: asks for 512 MiB of initial memory; must be refused before it runs.
(module
  (memory (export "memory") 8192)
  (func (export "_start")))
