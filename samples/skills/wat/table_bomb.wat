;; Hostile: grows an unbounded table by a million entries at a time until table.grow fails,
;; then traps.
(module
  (memory (export "memory") 1)
  (table $t 1 funcref)
  (func (export "_start")
    (loop $grow
      (if (i32.eq (table.grow $t (ref.null func) (i32.const 1000000)) (i32.const -1))
        (then unreachable))
      br $grow)))
