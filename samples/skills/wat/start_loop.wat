;; Hostile: spins forever in the module's start function, i.e. during instantiation,
;; before _start is ever called.
(module
  (memory (export "memory") 1)
  (func $spin (loop $forever br $forever))
  (start $spin)
  (func (export "_start")))
