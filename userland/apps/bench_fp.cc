// The bench's only floating-point code (bench.cc is compiled without FP/SIMD, CMakeLists.txt).

/// One floating-point multiply whose result the compiler must keep.
void fp_step() {
    static volatile double x = 1.0;
    x = x * 1.000001;
}
