# Conan 2 recipe for jot, built from this source tree:
#   conan create packaging/conan --build=missing
# jot is header-only: the package holds the headers and jot's CMake package files, and
# consumers link jot::jot, which brings OpenSSL::Crypto and nlohmann_json::nlohmann_json.
import os
import re

from conan import ConanFile
from conan.tools.cmake import CMake, cmake_layout
from conan.tools.files import copy


class JotConan(ConanFile):
    name = "jot"
    license = "MIT"
    description = "JSON Web Tokens for C++17, secure by default (OpenSSL 3, nlohmann/json)"
    topics = ("jwt", "jws", "jose", "jwk", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    generators = "CMakeToolchain", "CMakeDeps"
    no_copy_source = True

    def set_version(self):
        # The version is written once, in include/jot/config.hpp.
        header = os.path.join(self.recipe_folder, "..", "..", "include", "jot", "config.hpp")
        with open(header, encoding="utf-8") as f:
            text = f.read()
        parts = [re.search(rf"^#define JOT_VERSION_{p} (\d+)$", text, re.M).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def export_sources(self):
        root = os.path.join(self.recipe_folder, "..", "..")
        for pattern in ("CMakeLists.txt", "LICENSE", "cmake/*", "include/*"):
            copy(self, pattern, root, self.export_sources_folder)

    def requirements(self):
        self.requires("openssl/[>=3.0 <4]")
        self.requires("nlohmann_json/[>=3.11 <4]")

    def layout(self):
        cmake_layout(self)

    def package_id(self):
        self.info.clear()

    def build(self):
        cmake = CMake(self)
        # Ed25519 on OpenSSL: the recipe declares no libsodium, so the package must not need it.
        cmake.configure(variables={"JOT_BUILD_TESTS": "OFF", "JOT_BUILD_EXAMPLES": "OFF",
                                   "JOT_BUILD_TOOLS": "OFF", "JOT_INSTALL": "ON",
                                   "JOT_ED25519_BACKEND": "openssl"})

    def package(self):
        CMake(self).install()
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "jot")
        self.cpp_info.set_property("cmake_target_name", "jot::jot")
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.requires = ["openssl::crypto", "nlohmann_json::nlohmann_json"]
