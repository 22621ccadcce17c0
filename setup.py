"""pip install . : configures and builds the module target with CMake (POREFLUX_TESTS=OFF, CUDA
when a compiler is found, as tools/build.sh) for the interpreter running pip, and installs the
package directory build/python/poreflux that the build makes."""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = ROOT / "build-pip"
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release", "-DPOREFLUX_TESTS=OFF",
                        f"-DPython_EXECUTABLE={sys.executable}", "-DPOREFLUX_NATIVE=OFF"], check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "poreflux_python", "-j", str(os.cpu_count() or 2)],
                       check=True)
        package = build / "python" / "poreflux"
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).parent
        target.mkdir(parents=True, exist_ok=True)
        for f in package.iterdir():
            if f.suffix in (".py", ".so"):
                shutil.copy2(f, target / f.name)


setup(packages=["poreflux"], package_dir={"poreflux": "python/poreflux"},
      ext_modules=[Extension("poreflux._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
