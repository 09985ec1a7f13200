;; Hostile: creates directories with fresh 8-letter names in its first preopen (fd 3), forever.
(module
  (import "wasi_snapshot_preview1" "path_create_directory" (func $mkdir (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $i i32) (local $k i32)
    (loop $again
      (local.set $k (i32.const 0))
      (loop $name
        (i32.store8 (local.get $k)
          (i32.add (i32.const 97)
            (i32.and (i32.shr_u (local.get $i) (i32.mul (local.get $k) (i32.const 4))) (i32.const 15))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $name (i32.lt_u (local.get $k) (i32.const 8))))
      (drop (call $mkdir (i32.const 3) (i32.const 0) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $again))))
