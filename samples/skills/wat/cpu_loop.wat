;; Legitimate: a pure CPU loop (xorshift over 2 million steps); prints nothing, exits 0.
;; Used to measure the cost of fuel metering on tight loops.
(module
  (memory (export "memory") 1)
  (global $result (export "result") (mut i64) (i64.const 0))
  (func (export "_start")
    (local $i i32) (local $x i64)
    (local.set $x (i64.const 88172645463325252))
    (loop $next
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 2000000))))
    (global.set $result (local.get $x))))
