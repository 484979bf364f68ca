# Cross build for 64-bit ARM handhelds with Debian's cross compiler and the
# multiarch -dev packages (libfoo-dev:arm64); see docs/handheld.md.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Libraries and headers for the target; programs (the capnp compiler, which
# generates the same code whatever the target) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)

# Tests run under user-mode emulation. Plain qemu-aarch64: with
# -L /usr/aarch64-linux-gnu a program that starts a thread hangs; the
# multiarch libraries are found where the target's loader looks anyway.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
