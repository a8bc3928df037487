/* crealf & co. are stubs in Wine 8's ucrtbase: real implementations, everything else forwarded. */
typedef struct { float v[2]; } Fc;
typedef struct { double v[2]; } Dc;
float crealf(Fc z) { return z.v[0]; }
float cimagf(Fc z) { return z.v[1]; }
double creal(Dc z) { return z.v[0]; }
double cimag(Dc z) { return z.v[1]; }
double creall(Dc z) { return z.v[0]; }
double cimagl(Dc z) { return z.v[1]; }
