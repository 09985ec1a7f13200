;; Legitimate: the worst case for fuel metering, an almost empty loop (20 million iterations of
;; increment, compare, branch: one fuel check per 8 instructions). Prints nothing, exits 0.
(module
  (memory (export "memory") 1)
  (global $result (export "result") (mut i32) (i32.const 0))
  (func (export "_start")
    (local $i i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 20000000))))
    (global.set $result (local.get $i))))
