/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: NVRTC's compile options as GObject properties.
 *
 * One table describes every option: its property (name, type, default) and
 * how it renders into NVRTC's argv. Values live in a GValue per property, so
 * get, set, copy and render are each one loop. An option renders only when
 * it differs from NVRTC's own default, so the argv (and the compile cache's
 * key) stays short and stable. */
#include "config.h"

#include <string.h>

#include "cudaobj-program-options.h"
#include "cudaobj-program-options-private.h"
#include "cudaobj-options-private.h"
#include "cudaobj-device.h"

typedef enum
{
  RENDER_NONE,     /* not an NVRTC option */
  RENDER_ARCH,     /* --gpu-architecture=sm_NN, resolved */
  RENDER_VALUE,    /* "FLAG=value" for a set string or an int off its default */
  RENDER_SWITCH,   /* "FLAG" for a boolean that is TRUE */
  RENDER_BOOL,     /* "FLAG=true|false" for a boolean off its default */
  RENDER_EACH,     /* "FLAG=item" for each item of a string array */
  RENDER_VERBATIM, /* each item of a string array as is */
} OptionRender;

typedef struct
{
  const char *name;
  CudaObjOptionKind kind;
  OptionRender render;
  const char *flag;
  int default_value; /* of booleans and ints */
  int minimum, maximum;
} OptionSpec;

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ARCH,
  PROP_STD,
  PROP_RELOCATABLE_DEVICE_CODE,
  PROP_EXTENSIBLE_WHOLE_PROGRAM,
  PROP_DEBUG,
  PROP_LINEINFO,
  PROP_DEVICE_CODE_OPTIMIZE,
  PROP_PTXAS_OPTIONS,
  PROP_MAX_REGISTER_COUNT,
  PROP_FTZ,
  PROP_PREC_SQRT,
  PROP_PREC_DIV,
  PROP_FMAD,
  PROP_USE_FAST_MATH,
  PROP_EXTRA_DEVICE_VECTORIZATION,
  PROP_LINK_TIME_OPTIMIZATION,
  PROP_GEN_OPT_LTO,
  PROP_DEFINE_MACRO,
  PROP_UNDEFINE_MACRO,
  PROP_INCLUDE_PATH,
  PROP_PRE_INCLUDE,
  PROP_NO_SOURCE_INCLUDE,
  PROP_BUILTIN_MOVE_FORWARD,
  PROP_BUILTIN_INITIALIZER_LIST,
  PROP_DISABLE_WARNINGS,
  PROP_RESTRICT,
  PROP_DEVICE_AS_DEFAULT_EXECUTION_SPACE,
  PROP_DEVICE_INT128,
  PROP_DEVICE_FLOAT128,
  PROP_OPTIMIZATION_INFO,
  PROP_NO_DISPLAY_ERROR_NUMBER,
  PROP_DIAG_ERROR,
  PROP_DIAG_SUPPRESS,
  PROP_DIAG_WARN,
  PROP_BRIEF_DIAGNOSTICS,
  PROP_TIME,
  PROP_SPLIT_COMPILE,
  PROP_FDEVICE_SYNTAX_ONLY,
  PROP_MINIMAL,
  PROP_NO_CACHE,
  PROP_FDEVICE_TIME_TRACE,
  PROP_FRANDOM_SEED,
  PROP_OFAST_COMPILE,
  PROP_PCH,
  PROP_CREATE_PCH,
  PROP_USE_PCH,
  PROP_PCH_DIR,
  PROP_PCH_VERBOSE,
  PROP_PCH_MESSAGES,
  PROP_INSTANTIATE_TEMPLATES_IN_PCH,
  PROP_MODIFY_STACK_LIMIT,
  PROP_DEVICE_STACK_PROTECTOR,
  PROP_JUMP_TABLE_DENSITY,
  PROP_EXTRA_OPTIONS,
  N_PROPS
};

static const OptionSpec specs[N_PROPS] = {
  /**
   * CudaObjProgramOptions:name:
   *
   * The program's name, as NVRTC's diagnostics print it ("name(3): error:
   * ...") and as the compiled [class@CudaObj.ObjectCode] is named.
   *
   * Since: 1.0
   */
  [PROP_NAME] = { "name", CUDA_OBJ_OPTION_STRING, RENDER_NONE, NULL },
  /**
   * CudaObjProgramOptions:arch:
   *
   * The architecture to compile for (`--gpu-architecture`): "sm_90" for a
   * real architecture (needed for CUBIN), "compute_90" for a virtual one
   * (PTX only), or a bare "90", which means "sm_90". Suffixed forms such
   * as "sm_90a" and "sm_100f" are accepted. When %NULL, the architecture of
   * device 0 is used; compiling without a device then needs it set.
   *
   * Since: 1.0
   */
  [PROP_ARCH] = { "arch", CUDA_OBJ_OPTION_STRING, RENDER_ARCH, "--gpu-architecture" },
  /**
   * CudaObjProgramOptions:std:
   *
   * The C++ dialect (`--std`): "c++03", "c++11", "c++14", "c++17" or
   * "c++20"; %NULL for NVRTC's default (C++17).
   *
   * Since: 1.0
   */
  [PROP_STD] = { "std", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--std" },
  /**
   * CudaObjProgramOptions:relocatable-device-code:
   *
   * Generate relocatable device code (`--relocatable-device-code=true`), to
   * link with other units through [class@CudaObj.Linker].
   *
   * Since: 1.0
   */
  [PROP_RELOCATABLE_DEVICE_CODE]
  = { "relocatable-device-code", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--relocatable-device-code", FALSE },
  /**
   * CudaObjProgramOptions:extensible-whole-program:
   *
   * Do extensible whole-program compilation of device code (`--extensible-whole-program`).
   *
   * Since: 1.0
   */
  [PROP_EXTENSIBLE_WHOLE_PROGRAM] = { "extensible-whole-program", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH,
                                      "--extensible-whole-program", FALSE },
  /**
   * CudaObjProgramOptions:debug:
   *
   * Generate debug information (`--device-debug`); turns off optimization
   * unless [property@CudaObj.ProgramOptions:device-code-optimize] is set.
   *
   * Since: 1.0
   */
  [PROP_DEBUG] = { "debug", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--device-debug", FALSE },
  /**
   * CudaObjProgramOptions:lineinfo:
   *
   * Generate line-number information (`--generate-line-info`).
   *
   * Since: 1.0
   */
  [PROP_LINEINFO] = { "lineinfo", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--generate-line-info", FALSE },
  /**
   * CudaObjProgramOptions:device-code-optimize:
   *
   * Optimize device code even with [property@CudaObj.ProgramOptions:debug] (`--dopt=on`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_CODE_OPTIMIZE]
  = { "device-code-optimize", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--dopt=on", FALSE },
  /**
   * CudaObjProgramOptions:ptxas-options:
   *
   * Options for ptxas, the PTX assembler, such as `["-v"]` (one `--ptxas-options` each).
   *
   * Since: 1.0
   */
  [PROP_PTXAS_OPTIONS] = { "ptxas-options", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--ptxas-options" },
  /**
   * CudaObjProgramOptions:max-register-count:
   *
   * The most registers a thread may use (`--maxrregcount`); 0 for no limit.
   *
   * Since: 1.0
   */
  [PROP_MAX_REGISTER_COUNT]
  = { "max-register-count", CUDA_OBJ_OPTION_INT, RENDER_VALUE, "--maxrregcount", 0, 0, G_MAXINT },
  /**
   * CudaObjProgramOptions:ftz:
   *
   * Flush single-precision denormals to zero (`--ftz=true`).
   *
   * Since: 1.0
   */
  [PROP_FTZ] = { "ftz", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--ftz", FALSE },
  /**
   * CudaObjProgramOptions:prec-sqrt:
   *
   * IEEE round-to-nearest single-precision square root; %FALSE for a faster
   * approximation (`--prec-sqrt=false`).
   *
   * Since: 1.0
   */
  [PROP_PREC_SQRT] = { "prec-sqrt", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--prec-sqrt", TRUE },
  /**
   * CudaObjProgramOptions:prec-div:
   *
   * IEEE round-to-nearest single-precision division and reciprocals; %FALSE
   * for a faster approximation (`--prec-div=false`).
   *
   * Since: 1.0
   */
  [PROP_PREC_DIV] = { "prec-div", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--prec-div", TRUE },
  /**
   * CudaObjProgramOptions:fmad:
   *
   * Contract multiplies and adds into fused multiply-adds; %FALSE to forbid
   * it (`--fmad=false`).
   *
   * Since: 1.0
   */
  [PROP_FMAD] = { "fmad", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--fmad", TRUE },
  /**
   * CudaObjProgramOptions:use-fast-math:
   *
   * Use fast math (`--use_fast_math`): implies flushing denormals, imprecise
   * square root and division, and fused multiply-adds.
   *
   * Since: 1.0
   */
  [PROP_USE_FAST_MATH]
  = { "use-fast-math", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--use_fast_math", FALSE },
  /**
   * CudaObjProgramOptions:extra-device-vectorization:
   *
   * More aggressive vectorization in the NVVM optimizer (`--extra-device-vectorization`).
   *
   * Since: 1.0
   */
  [PROP_EXTRA_DEVICE_VECTORIZATION] = { "extra-device-vectorization", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH,
                                        "--extra-device-vectorization", FALSE },
  /**
   * CudaObjProgramOptions:link-time-optimization:
   *
   * Generate LTO-IR for link-time optimization (`--dlink-time-opt`); set
   * for you when compiling to %CUDA_OBJ_CODE_TYPE_LTOIR.
   *
   * Since: 1.0
   */
  [PROP_LINK_TIME_OPTIMIZATION]
  = { "link-time-optimization", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--dlink-time-opt", FALSE },
  /**
   * CudaObjProgramOptions:gen-opt-lto:
   *
   * Run the optimizer before generating LTO-IR (`--gen-opt-lto`).
   *
   * Since: 1.0
   */
  [PROP_GEN_OPT_LTO] = { "gen-opt-lto", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--gen-opt-lto", FALSE },
  /**
   * CudaObjProgramOptions:define-macro:
   *
   * Macros to predefine (`--define-macro`), each "NAME" (defined as 1) or "NAME=definition".
   *
   * Since: 1.0
   */
  [PROP_DEFINE_MACRO] = { "define-macro", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--define-macro" },
  /**
   * CudaObjProgramOptions:undefine-macro:
   *
   * Macros to undefine (`--undefine-macro`).
   *
   * Since: 1.0
   */
  [PROP_UNDEFINE_MACRO] = { "undefine-macro", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--undefine-macro" },
  /**
   * CudaObjProgramOptions:include-path:
   *
   * Directories to search for headers (`--include-path`), after the
   * headers given to the [class@CudaObj.Program]. The compile cache knows these
   * directories by name, not by the headers in them.
   *
   * Since: 1.0
   */
  [PROP_INCLUDE_PATH] = { "include-path", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--include-path" },
  /**
   * CudaObjProgramOptions:pre-include:
   *
   * Headers to include before the source (`--pre-include`).
   *
   * Since: 1.0
   */
  [PROP_PRE_INCLUDE] = { "pre-include", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--pre-include" },
  /**
   * CudaObjProgramOptions:no-source-include:
   *
   * Do not search the source's own directory for headers (`--no-source-include`).
   *
   * Since: 1.0
   */
  [PROP_NO_SOURCE_INCLUDE]
  = { "no-source-include", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--no-source-include", FALSE },
  /**
   * CudaObjProgramOptions:builtin-move-forward:
   *
   * Provide builtin std::move and std::forward; %FALSE to not
   * (`--builtin-move-forward=false`).
   *
   * Since: 1.0
   */
  [PROP_BUILTIN_MOVE_FORWARD]
  = { "builtin-move-forward", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--builtin-move-forward", TRUE },
  /**
   * CudaObjProgramOptions:builtin-initializer-list:
   *
   * Provide a builtin std::initializer_list; %FALSE to not
   * (`--builtin-initializer-list=false`).
   *
   * Since: 1.0
   */
  [PROP_BUILTIN_INITIALIZER_LIST]
  = { "builtin-initializer-list", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--builtin-initializer-list", TRUE },
  /**
   * CudaObjProgramOptions:disable-warnings:
   *
   * Inhibit all warnings (`--disable-warnings`).
   *
   * Since: 1.0
   */
  [PROP_DISABLE_WARNINGS]
  = { "disable-warnings", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--disable-warnings", FALSE },
  /**
   * CudaObjProgramOptions:restrict:
   *
   * Assert that all kernel pointer parameters are restrict pointers (`--restrict`).
   *
   * Since: 1.0
   */
  [PROP_RESTRICT] = { "restrict", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--restrict", FALSE },
  /**
   * CudaObjProgramOptions:device-as-default-execution-space:
   *
   * Treat functions and variables without an execution space as `__device__`
   * (`--device-as-default-execution-space`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_AS_DEFAULT_EXECUTION_SPACE] = { "device-as-default-execution-space", CUDA_OBJ_OPTION_BOOLEAN,
                                               RENDER_SWITCH, "--device-as-default-execution-space", FALSE },
  /**
   * CudaObjProgramOptions:device-int128:
   *
   * Allow `__int128` in device code (`--device-int128`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_INT128]
  = { "device-int128", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--device-int128", FALSE },
  /**
   * CudaObjProgramOptions:device-float128:
   *
   * Allow `__float128` in device code (`--device-float128`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_FLOAT128]
  = { "device-float128", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--device-float128", FALSE },
  /**
   * CudaObjProgramOptions:optimization-info:
   *
   * Report optimizations of a kind in the log (`--optimization-info`), such as "inline".
   *
   * Since: 1.0
   */
  [PROP_OPTIMIZATION_INFO]
  = { "optimization-info", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--optimization-info" },
  /**
   * CudaObjProgramOptions:no-display-error-number:
   *
   * Do not print diagnostic numbers (`--no-display-error-number`).
   *
   * Since: 1.0
   */
  [PROP_NO_DISPLAY_ERROR_NUMBER]
  = { "no-display-error-number", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--no-display-error-number", FALSE },
  /**
   * CudaObjProgramOptions:diag-error:
   *
   * Diagnostic numbers to turn into errors (`--diag-error`), such as `["177"]`.
   *
   * Since: 1.0
   */
  [PROP_DIAG_ERROR] = { "diag-error", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--diag-error" },
  /**
   * CudaObjProgramOptions:diag-suppress:
   *
   * Diagnostic numbers to suppress (`--diag-suppress`).
   *
   * Since: 1.0
   */
  [PROP_DIAG_SUPPRESS] = { "diag-suppress", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--diag-suppress" },
  /**
   * CudaObjProgramOptions:diag-warn:
   *
   * Diagnostic numbers to turn into warnings (`--diag-warn`).
   *
   * Since: 1.0
   */
  [PROP_DIAG_WARN] = { "diag-warn", CUDA_OBJ_OPTION_STRV, RENDER_EACH, "--diag-warn" },
  /**
   * CudaObjProgramOptions:brief-diagnostics:
   *
   * Leave the source line out of diagnostics (`--brief-diagnostics=true`).
   *
   * Since: 1.0
   */
  [PROP_BRIEF_DIAGNOSTICS]
  = { "brief-diagnostics", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--brief-diagnostics", FALSE },
  /**
   * CudaObjProgramOptions:time:
   *
   * Append a CSV table of the time each phase took to this file (`--time`);
   * "-" puts it in the log. Compiles with this option skip the compile cache.
   *
   * Since: 1.0
   */
  [PROP_TIME] = { "time", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--time" },
  /**
   * CudaObjProgramOptions:split-compile:
   *
   * Threads for parallel optimization (`--split-compile`); 0 for as many as
   * there are processors, 1 (the default) for none.
   *
   * Since: 1.0
   */
  [PROP_SPLIT_COMPILE]
  = { "split-compile", CUDA_OBJ_OPTION_INT, RENDER_VALUE, "--split-compile", 1, 0, G_MAXINT },
  /**
   * CudaObjProgramOptions:fdevice-syntax-only:
   *
   * Stop after checking the syntax (`--fdevice-syntax-only`); no usable code is made.
   *
   * Since: 1.0
   */
  [PROP_FDEVICE_SYNTAX_ONLY]
  = { "fdevice-syntax-only", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--fdevice-syntax-only", FALSE },
  /**
   * CudaObjProgramOptions:minimal:
   *
   * Leave out some language features to compile small programs faster (`--minimal`).
   *
   * Since: 1.0
   */
  [PROP_MINIMAL] = { "minimal", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--minimal", FALSE },
  /**
   * CudaObjProgramOptions:no-cache:
   *
   * Turn off NVRTC's own internal cache (`--no-cache`); libcudaobj's
   * compile cache is [property@CudaObj.Program:use-cache].
   *
   * Since: 1.0
   */
  [PROP_NO_CACHE] = { "no-cache", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--no-cache", FALSE },
  /**
   * CudaObjProgramOptions:fdevice-time-trace:
   *
   * Write a time trace of the compile, in Chrome's JSON format, to this
   * file (`--fdevice-time-trace`). Compiles with this option skip the compile cache.
   *
   * Since: 1.0
   */
  [PROP_FDEVICE_TIME_TRACE]
  = { "fdevice-time-trace", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--fdevice-time-trace" },
  /**
   * CudaObjProgramOptions:frandom-seed:
   *
   * The seed for generated symbol names (`--frandom-seed`), for
   * reproducible output.
   *
   * Since: 1.0
   */
  [PROP_FRANDOM_SEED] = { "frandom-seed", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--frandom-seed" },
  /**
   * CudaObjProgramOptions:ofast-compile:
   *
   * Trade code quality for compile speed (`--Ofast-compile`): "0", "min", "mid" or "max".
   *
   * Since: 1.0
   */
  [PROP_OFAST_COMPILE] = { "ofast-compile", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--Ofast-compile" },
  /**
   * CudaObjProgramOptions:pch:
   *
   * Use and create precompiled headers automatically (`--pch`).
   *
   * Since: 1.0
   */
  [PROP_PCH] = { "pch", CUDA_OBJ_OPTION_BOOLEAN, RENDER_SWITCH, "--pch", FALSE },
  /**
   * CudaObjProgramOptions:create-pch:
   *
   * Create this precompiled header file (`--create-pch`). Compiles with this
   * option skip the compile cache.
   *
   * Since: 1.0
   */
  [PROP_CREATE_PCH] = { "create-pch", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--create-pch" },
  /**
   * CudaObjProgramOptions:use-pch:
   *
   * Use this precompiled header file (`--use-pch`).
   *
   * Since: 1.0
   */
  [PROP_USE_PCH] = { "use-pch", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--use-pch" },
  /**
   * CudaObjProgramOptions:pch-dir:
   *
   * The directory of precompiled headers (`--pch-dir`).
   *
   * Since: 1.0
   */
  [PROP_PCH_DIR] = { "pch-dir", CUDA_OBJ_OPTION_STRING, RENDER_VALUE, "--pch-dir" },
  /**
   * CudaObjProgramOptions:pch-verbose:
   *
   * Say in the log why a precompiled header could not be used; %FALSE to
   * not (`--pch-verbose=false`).
   *
   * Since: 1.0
   */
  [PROP_PCH_VERBOSE] = { "pch-verbose", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--pch-verbose", TRUE },
  /**
   * CudaObjProgramOptions:pch-messages:
   *
   * Say in the log when a precompiled header was created or used; %FALSE to
   * not (`--pch-messages=false`).
   *
   * Since: 1.0
   */
  [PROP_PCH_MESSAGES] = { "pch-messages", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--pch-messages", TRUE },
  /**
   * CudaObjProgramOptions:instantiate-templates-in-pch:
   *
   * Instantiate templates before creating a precompiled header; %FALSE to
   * not (`--instantiate-templates-in-pch=false`).
   *
   * Since: 1.0
   */
  [PROP_INSTANTIATE_TEMPLATES_IN_PCH] = { "instantiate-templates-in-pch", CUDA_OBJ_OPTION_BOOLEAN,
                                          RENDER_BOOL, "--instantiate-templates-in-pch", TRUE },
  /**
   * CudaObjProgramOptions:modify-stack-limit:
   *
   * Let NVRTC raise the process's stack limit while it compiles; %FALSE to
   * not (`--modify-stack-limit=false`).
   *
   * Since: 1.0
   */
  [PROP_MODIFY_STACK_LIMIT]
  = { "modify-stack-limit", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--modify-stack-limit", TRUE },
  /**
   * CudaObjProgramOptions:device-stack-protector:
   *
   * Put stack canaries in device code (`--device-stack-protector=true`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_STACK_PROTECTOR]
  = { "device-stack-protector", CUDA_OBJ_OPTION_BOOLEAN, RENDER_BOOL, "--device-stack-protector", FALSE },
  /**
   * CudaObjProgramOptions:jump-table-density:
   *
   * The case density, in percent, from which a switch becomes a jump
   * table (`--jump-table-density`); 101, the default, for never.
   *
   * Since: 1.0
   */
  [PROP_JUMP_TABLE_DENSITY]
  = { "jump-table-density", CUDA_OBJ_OPTION_INT, RENDER_VALUE, "--jump-table-density", 101, 0, 101 },
  /**
   * CudaObjProgramOptions:extra-options:
   *
   * Further options passed to the compiler as they are, after all others:
   * for NVRTC options this class lacks, or libNVVM options for NVVM IR.
   *
   * Since: 1.0
   */
  [PROP_EXTRA_OPTIONS] = { "extra-options", CUDA_OBJ_OPTION_STRV, RENDER_VERBATIM, NULL },
};

struct _CudaObjProgramOptions
{
  GObject parent_instance;

  GValue values[N_PROPS];
};

static GParamSpec *properties[N_PROPS];

/**
 * CudaObjProgramOptions:
 *
 * The options of a [class@CudaObj.Program]: every option NVRTC accepts, as a
 * property of the matching type, so that options read naturally in every
 * language:
 *
 * ```python
 * options = CudaObj.ProgramOptions(std="c++17", arch="sm_90", use_fast_math=True,
 *                                  define_macro=["BLOCK=256"])
 * ```
 *
 * Each property's default is NVRTC's own default, and only options that
 * differ from it are passed on; [method@CudaObj.ProgramOptions.to_argv] shows
 * the resulting command line. For NVVM IR programs the options that libNVVM
 * shares (architecture, debug, the floating-point modes) are translated to
 * its spelling, and for PTX to nvJitLink's.
 *
 * Options are plain data: copy them with [method@CudaObj.ProgramOptions.copy]
 * to share a base set. A [class@CudaObj.Program] reads its options when a compile
 * starts, so changing them afterwards affects only later compiles.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjProgramOptions, cuda_obj_program_options, G_TYPE_OBJECT)

static void
cuda_obj_program_options_finalize (GObject *object)
{
  CudaObjProgramOptions *self = CUDA_OBJ_PROGRAM_OPTIONS (object);

  cuda_obj_option_values_unset (self->values, N_PROPS);
  G_OBJECT_CLASS (cuda_obj_program_options_parent_class)->finalize (object);
}

static void
cuda_obj_program_options_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CudaObjProgramOptions *self = CUDA_OBJ_PROGRAM_OPTIONS (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (&self->values[prop_id], value);
}

static void
cuda_obj_program_options_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CudaObjProgramOptions *self = CUDA_OBJ_PROGRAM_OPTIONS (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (cuda_obj_option_value_set (&self->values[prop_id], value, pspec))
    g_object_notify_by_pspec (object, pspec);
}

static void
cuda_obj_program_options_class_init (CudaObjProgramOptionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cuda_obj_program_options_finalize;
  object_class->get_property = cuda_obj_program_options_get_property;
  object_class->set_property = cuda_obj_program_options_set_property;

  for (guint i = 1; i < N_PROPS; i++)
    properties[i]
        = cuda_obj_option_param_spec (specs[i].name, specs[i].kind, i == PROP_NAME ? "default_program" : NULL,
                                      specs[i].default_value, specs[i].minimum, specs[i].maximum);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cuda_obj_program_options_init (CudaObjProgramOptions *self)
{
  cuda_obj_option_values_init (self->values, properties, N_PROPS);
}

/**
 * cuda_obj_program_options_new:
 *
 * Makes options with every value at NVRTC's default and no architecture
 * (that of device 0 is then used). Set properties with [method@GObject.Object.set], or
 * pass them to [ctor@GObject.Object.new] directly.
 *
 * Returns: (transfer full): new options
 *
 * Since: 1.0
 */
CudaObjProgramOptions *
cuda_obj_program_options_new (void)
{
  return g_object_new (CUDA_OBJ_TYPE_PROGRAM_OPTIONS, NULL);
}

/**
 * cuda_obj_program_options_copy:
 * @self: a [class@CudaObj.ProgramOptions]
 *
 * Makes independent options with the same values.
 *
 * Returns: (transfer full): the copy
 *
 * Since: 1.0
 */
CudaObjProgramOptions *
cuda_obj_program_options_copy (CudaObjProgramOptions *self)
{
  CudaObjProgramOptions *copy;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM_OPTIONS (self), NULL);
  copy = cuda_obj_program_options_new ();
  cuda_obj_option_values_copy (self->values, copy->values, N_PROPS);
  return copy;
}

gboolean
cuda_obj_arch_parse (const char *arch, char **number, gboolean *is_virtual, GError **error)
{
  const char *digits = arch;
  const char *p;
  gboolean virtual_arch = FALSE;

  if (g_str_has_prefix (arch, "sm_"))
    digits = arch + 3;
  else if (g_str_has_prefix (arch, "compute_"))
    {
      digits = arch + 8;
      virtual_arch = TRUE;
    }
  for (p = digits; g_ascii_isdigit (*p); p++)
    ;
  /* Two or three digits, then an optional family (f) or architecture (a) suffix. */
  if (p - digits < 2 || p - digits > 3 || *digits == '0'
      || (*p != '\0' && ((*p != 'a' && *p != 'f') || p[1] != '\0')))
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not a GPU architecture: use \"sm_90\" (real), \"compute_90\" (virtual) "
                   "or \"90\"",
                   arch);
      return FALSE;
    }
  if (number != NULL)
    *number = g_strdup (digits);
  if (is_virtual != NULL)
    *is_virtual = virtual_arch;
  return TRUE;
}

gboolean
cuda_obj_arch_resolve (const char *arch, char **number, gboolean *is_virtual, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CudaObjDevice) device = NULL;

  if (arch != NULL && *arch != '\0')
    return cuda_obj_arch_parse (arch, number, is_virtual, error);

  device = cuda_obj_device_get (0, &local_error);
  if (device == NULL)
    {
      g_set_error (error, CUDA_OBJ_ERROR, CUDA_OBJ_ERROR_INVALID_ARGUMENT,
                   "No architecture given, and no CUDA device to take it from (%s): set the arch "
                   "option, such as \"sm_90\"",
                   local_error->message);
      return FALSE;
    }
  if (number != NULL)
    *number = g_strdup (cuda_obj_device_get_arch (device));
  if (is_virtual != NULL)
    *is_virtual = FALSE;
  return TRUE;
}

static const char *
string_value (CudaObjProgramOptions *self, guint prop_id)
{
  return g_value_get_string (&self->values[prop_id]);
}

static gboolean
boolean_value (CudaObjProgramOptions *self, guint prop_id)
{
  return g_value_get_boolean (&self->values[prop_id]);
}

static int
int_value (CudaObjProgramOptions *self, guint prop_id)
{
  return g_value_get_int (&self->values[prop_id]);
}

static const char *const *
strv_value (CudaObjProgramOptions *self, guint prop_id)
{
  return g_value_get_boxed (&self->values[prop_id]);
}

static void
add_each (GPtrArray *argv, const char *flag, const char *const *items)
{
  for (guint j = 0; items != NULL && items[j] != NULL; j++)
    g_ptr_array_add (argv, flag != NULL ? g_strdup_printf ("%s=%s", flag, items[j]) : g_strdup (items[j]));
}

static char **
finish_argv (GPtrArray *argv)
{
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

/**
 * cuda_obj_program_options_to_argv:
 * @self: a [class@CudaObj.ProgramOptions]
 * @error: return location for a [struct@GLib.Error]
 *
 * Renders the options as the command line NVRTC gets, such as
 * `["--gpu-architecture=sm_90", "--std=c++17", "--use_fast_math"]`: the
 * architecture first, then every option whose value differs from NVRTC's
 * default, then [property@CudaObj.ProgramOptions:extra-options].
 *
 * Returns: (transfer full) (array zero-terminated=1): the arguments, or
 *   %NULL with @error set (%CUDA_OBJ_ERROR_INVALID_ARGUMENT for a malformed
 *   architecture, or none given with no device to take it from)
 *
 * Since: 1.0
 */
char **
cuda_obj_program_options_to_argv (CudaObjProgramOptions *self, GError **error)
{
  g_autoptr (GPtrArray) argv = NULL;

  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM_OPTIONS (self), NULL);

  argv = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; i < N_PROPS; i++)
    {
      const OptionSpec *spec = &specs[i];

      switch (spec->render)
        {
        case RENDER_NONE: break;
        case RENDER_ARCH:
          {
            g_autofree char *number = NULL;
            const char *arch = string_value (self, i);
            gboolean is_virtual = FALSE;

            if (!cuda_obj_arch_resolve (arch, &number, &is_virtual, error))
              return NULL;
            g_ptr_array_add (argv,
                             g_strdup_printf ("%s=%s_%s", spec->flag, is_virtual ? "compute" : "sm", number));
          }
          break;
        case RENDER_VALUE:
          if (spec->kind == CUDA_OBJ_OPTION_STRING && string_value (self, i) != NULL
              && *string_value (self, i) != '\0')
            g_ptr_array_add (argv, g_strdup_printf ("%s=%s", spec->flag, string_value (self, i)));
          else if (spec->kind == CUDA_OBJ_OPTION_INT && int_value (self, i) != spec->default_value)
            g_ptr_array_add (argv, g_strdup_printf ("%s=%d", spec->flag, int_value (self, i)));
          break;
        case RENDER_SWITCH:
          if (boolean_value (self, i))
            g_ptr_array_add (argv, g_strdup (spec->flag));
          break;
        case RENDER_BOOL:
          if (boolean_value (self, i) != spec->default_value)
            g_ptr_array_add (
                argv, g_strdup_printf ("%s=%s", spec->flag, boolean_value (self, i) ? "true" : "false"));
          break;
        case RENDER_EACH: add_each (argv, spec->flag, strv_value (self, i)); break;
        case RENDER_VERBATIM:
          /* Last, below. */
          break;
        }
    }
  add_each (argv, NULL, strv_value (self, PROP_EXTRA_OPTIONS));
  return finish_argv (g_steal_pointer (&argv));
}

char **
cuda_obj_program_options_to_nvvm_argv (CudaObjProgramOptions *self, gboolean lto, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *number = NULL;
  gboolean fast_math = boolean_value (self, PROP_USE_FAST_MATH);

  if (!cuda_obj_arch_resolve (string_value (self, PROP_ARCH), &number, NULL, error))
    return NULL;
  /* libNVVM makes PTX for virtual architectures only. */
  g_ptr_array_add (argv, g_strdup_printf ("-arch=compute_%s", number));
  if (boolean_value (self, PROP_DEBUG))
    {
      g_ptr_array_add (argv, g_strdup ("-g"));
      if (!boolean_value (self, PROP_DEVICE_CODE_OPTIMIZE))
        g_ptr_array_add (argv, g_strdup ("-opt=0"));
    }
  if (fast_math || boolean_value (self, PROP_FTZ))
    g_ptr_array_add (argv, g_strdup ("-ftz=1"));
  if (fast_math || !boolean_value (self, PROP_PREC_SQRT))
    g_ptr_array_add (argv, g_strdup ("-prec-sqrt=0"));
  if (fast_math || !boolean_value (self, PROP_PREC_DIV))
    g_ptr_array_add (argv, g_strdup ("-prec-div=0"));
  if (!fast_math && !boolean_value (self, PROP_FMAD))
    g_ptr_array_add (argv, g_strdup ("-fma=0"));
  if (int_value (self, PROP_JUMP_TABLE_DENSITY) != specs[PROP_JUMP_TABLE_DENSITY].default_value)
    g_ptr_array_add (argv,
                     g_strdup_printf ("-jump-table-density=%d", int_value (self, PROP_JUMP_TABLE_DENSITY)));
  if (lto)
    g_ptr_array_add (argv, g_strdup ("-gen-lto"));
  add_each (argv, NULL, strv_value (self, PROP_EXTRA_OPTIONS));
  return finish_argv (g_steal_pointer (&argv));
}
