;; Hostile: opens "link" in the first preopened directory (fd 3) and copies what it reads to
;; stdout. Used with a host directory that already holds a symlink named "link" pointing outside.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "link")
  (data (i32.const 64) "\00\01\00\00\00\10\00\00") ;; iovec {buf=256, len=4096}
  (func (export "_start")
    (local $err i32)
    (local.set $err
      (call $path_open (i32.const 3) (i32.const 1) (i32.const 32) (i32.const 4)
        (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 0)))
    (if (local.get $err) (then (call $proc_exit (local.get $err))))
    (drop (call $fd_read (i32.load (i32.const 0)) (i32.const 64) (i32.const 1) (i32.const 72)))
    (i32.store (i32.const 68) (i32.load (i32.const 72)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 80)))))
