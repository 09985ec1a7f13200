;; Hostile: one fd_write to stderr with 500,000 iovecs of 64 KiB each (32 GB asked for in one host call).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 128)
  (func (export "_start")
    (local $i i32)
    (memory.fill (i32.const 0) (i32.const 69) (i32.const 65536))
    ;; iovecs from 65536: {buf = 0, len = 65536} x 500000
    (loop $fill
      (i32.store (i32.add (i32.const 65536) (i32.mul (local.get $i) (i32.const 8))) (i32.const 0))
      (i32.store (i32.add (i32.const 65540) (i32.mul (local.get $i) (i32.const 8))) (i32.const 65536))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 500000))))
    (drop (call $fd_write (i32.const 2) (i32.const 65536) (i32.const 500000) (i32.const 0)))))
