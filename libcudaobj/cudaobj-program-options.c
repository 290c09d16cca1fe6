/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcudaobj: NVRTC's compile options as GObject properties.
 *
 * One table describes every option: its property (name, type, default,
 * valid range), its typed field in CudaObjProgramOptionsFields, and how it
 * renders into NVRTC's argv; cudaobj-options-private.c does the GObject
 * glue and the rendering from it. An option renders only when it differs
 * from NVRTC's own default, so the argv (and the compile cache's key) stays
 * short and stable. */
#include "config.h"

#include "cudaobj-program-options.h"
#include "cudaobj-program-options-private.h"

#define CUDA_OBJ_OPTION_FIELDS CudaObjProgramOptionsFields

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
  PROP_TOOLKIT_INCLUDE_DIRS,
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
  PROP_USE_LIBDEVICE,
  PROP_EXTRA_OPTIONS,
  N_PROPS
};

static const CudaObjOptionSpec specs[N_PROPS] = {
  /**
   * CudaObjProgramOptions:name:
   *
   * The program's name, as NVRTC's diagnostics print it ("name(3): error:
   * ...") and as the compiled [class@CudaObj.ObjectCode] is named.
   *
   * Since: 1.0
   */
  [PROP_NAME] = NAME_OPTION ("name", name, "default_program"),
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
  [PROP_ARCH] = ARCH_OPTION ("arch", arch, "--gpu-architecture=%s"),
  /**
   * CudaObjProgramOptions:std:
   *
   * The C++ dialect (`--std`): "c++03", "c++11", "c++14", "c++17" or
   * "c++20"; %NULL for NVRTC's default (C++17).
   *
   * Since: 1.0
   */
  [PROP_STD] = STRING_OPTION ("std", std, "--std=%s"),
  /**
   * CudaObjProgramOptions:relocatable-device-code:
   *
   * Generate relocatable device code (`--relocatable-device-code=true`), to
   * link with other units through [class@CudaObj.Linker].
   *
   * Since: 1.0
   */
  [PROP_RELOCATABLE_DEVICE_CODE]
  = BOOL_OPTION ("relocatable-device-code", relocatable_device_code, "--relocatable-device-code=true",
                 "--relocatable-device-code=false", FALSE),
  /**
   * CudaObjProgramOptions:extensible-whole-program:
   *
   * Do extensible whole-program compilation of device code (`--extensible-whole-program`).
   *
   * Since: 1.0
   */
  [PROP_EXTENSIBLE_WHOLE_PROGRAM]
  = SWITCH_OPTION ("extensible-whole-program", extensible_whole_program, "--extensible-whole-program"),
  /**
   * CudaObjProgramOptions:debug:
   *
   * Generate debug information (`--device-debug`); turns off optimization
   * unless [property@CudaObj.ProgramOptions:device-code-optimize] is set.
   *
   * Since: 1.0
   */
  [PROP_DEBUG] = SWITCH_OPTION ("debug", debug, "--device-debug"),
  /**
   * CudaObjProgramOptions:lineinfo:
   *
   * Generate line-number information (`--generate-line-info`).
   *
   * Since: 1.0
   */
  [PROP_LINEINFO] = SWITCH_OPTION ("lineinfo", lineinfo, "--generate-line-info"),
  /**
   * CudaObjProgramOptions:device-code-optimize:
   *
   * Optimize device code even with [property@CudaObj.ProgramOptions:debug] (`--dopt=on`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_CODE_OPTIMIZE] = SWITCH_OPTION ("device-code-optimize", device_code_optimize, "--dopt=on"),
  /**
   * CudaObjProgramOptions:ptxas-options:
   *
   * Options for ptxas, the PTX assembler, such as `["-v"]` (one `--ptxas-options` each).
   *
   * Since: 1.0
   */
  [PROP_PTXAS_OPTIONS] = STRV_OPTION ("ptxas-options", ptxas_options, "--ptxas-options=%s"),
  /**
   * CudaObjProgramOptions:max-register-count:
   *
   * The most registers a thread may use (`--maxrregcount`); 0 for no limit.
   *
   * Since: 1.0
   */
  [PROP_MAX_REGISTER_COUNT]
  = INT_OPTION ("max-register-count", max_register_count, "--maxrregcount=%d", 0, 0, G_MAXINT),
  /**
   * CudaObjProgramOptions:ftz:
   *
   * Flush single-precision denormals to zero (`--ftz=true`).
   *
   * Since: 1.0
   */
  [PROP_FTZ] = BOOL_OPTION ("ftz", ftz, "--ftz=true", "--ftz=false", FALSE),
  /**
   * CudaObjProgramOptions:prec-sqrt:
   *
   * IEEE round-to-nearest single-precision square root; %FALSE for a faster
   * approximation (`--prec-sqrt=false`).
   *
   * Since: 1.0
   */
  [PROP_PREC_SQRT] = BOOL_OPTION ("prec-sqrt", prec_sqrt, "--prec-sqrt=true", "--prec-sqrt=false", TRUE),
  /**
   * CudaObjProgramOptions:prec-div:
   *
   * IEEE round-to-nearest single-precision division and reciprocals; %FALSE
   * for a faster approximation (`--prec-div=false`).
   *
   * Since: 1.0
   */
  [PROP_PREC_DIV] = BOOL_OPTION ("prec-div", prec_div, "--prec-div=true", "--prec-div=false", TRUE),
  /**
   * CudaObjProgramOptions:fmad:
   *
   * Contract multiplies and adds into fused multiply-adds; %FALSE to forbid
   * it (`--fmad=false`).
   *
   * Since: 1.0
   */
  [PROP_FMAD] = BOOL_OPTION ("fmad", fmad, "--fmad=true", "--fmad=false", TRUE),
  /**
   * CudaObjProgramOptions:use-fast-math:
   *
   * Use fast math (`--use_fast_math`): implies flushing denormals, imprecise
   * square root and division, and fused multiply-adds.
   *
   * Since: 1.0
   */
  [PROP_USE_FAST_MATH] = SWITCH_OPTION ("use-fast-math", use_fast_math, "--use_fast_math"),
  /**
   * CudaObjProgramOptions:extra-device-vectorization:
   *
   * More aggressive vectorization in the NVVM optimizer (`--extra-device-vectorization`).
   *
   * Since: 1.0
   */
  [PROP_EXTRA_DEVICE_VECTORIZATION]
  = SWITCH_OPTION ("extra-device-vectorization", extra_device_vectorization, "--extra-device-vectorization"),
  /**
   * CudaObjProgramOptions:link-time-optimization:
   *
   * Generate LTO-IR for link-time optimization (`--dlink-time-opt`); set
   * for you when compiling to %CUDA_OBJ_CODE_TYPE_LTOIR.
   *
   * Since: 1.0
   */
  [PROP_LINK_TIME_OPTIMIZATION]
  = SWITCH_OPTION ("link-time-optimization", link_time_optimization, "--dlink-time-opt"),
  /**
   * CudaObjProgramOptions:gen-opt-lto:
   *
   * Run the optimizer before generating LTO-IR (`--gen-opt-lto`).
   *
   * Since: 1.0
   */
  [PROP_GEN_OPT_LTO] = SWITCH_OPTION ("gen-opt-lto", gen_opt_lto, "--gen-opt-lto"),
  /**
   * CudaObjProgramOptions:define-macro:
   *
   * Macros to predefine (`--define-macro`), each "NAME" (defined as 1) or "NAME=definition".
   *
   * Since: 1.0
   */
  [PROP_DEFINE_MACRO] = STRV_OPTION ("define-macro", define_macro, "--define-macro=%s"),
  /**
   * CudaObjProgramOptions:undefine-macro:
   *
   * Macros to undefine (`--undefine-macro`).
   *
   * Since: 1.0
   */
  [PROP_UNDEFINE_MACRO] = STRV_OPTION ("undefine-macro", undefine_macro, "--undefine-macro=%s"),
  /**
   * CudaObjProgramOptions:include-path:
   *
   * Directories to search for headers (`--include-path`), after the
   * headers given to the [class@CudaObj.Program]. The compile cache knows these
   * directories by name, not by the headers in them.
   *
   * Since: 1.0
   */
  [PROP_INCLUDE_PATH] = STRV_OPTION ("include-path", include_path, "--include-path=%s"),
  /**
   * CudaObjProgramOptions:toolkit-include-dirs:
   *
   * Whether a C++ compile searches the CUDA toolkit's header directories,
   * so that `#include <cuda_fp16.h>`, `#include <cuda_bf16.h>` or
   * `#include <cuda/std/atomic>` work as they do with CuPy. The directories
   * are those [func@CudaObj.find_include_dirs] finds (the toolkit's
   * `include`, CCCL's, or those of NVIDIA's pip wheels); they are passed as
   * `--include-path` options after
   * [property@CudaObj.ProgramOptions:include-path], so that the user's
   * directories win. They are found when a compile starts and are not
   * part of [method@CudaObj.ProgramOptions.to_argv]. When none is found the
   * compile goes on without them: NVRTC's own builtin headers still work,
   * and an `#include` of a toolkit header fails with NVRTC's message naming
   * it.
   *
   * The compile cache ([property@CudaObj.Program:use-cache]) knows these
   * directories by their resolved paths and times, so that another toolkit
   * makes a new compile. Set it to %FALSE for programs that must not see
   * the toolkit's headers, or that bring their own copies through
   * [property@CudaObj.ProgramOptions:include-path]. NVVM IR and PTX
   * programs ignore it.
   *
   * Since: 1.0
   */
  [PROP_TOOLKIT_INCLUDE_DIRS] = FLAG_OPTION ("toolkit-include-dirs", toolkit_include_dirs, TRUE),
  /**
   * CudaObjProgramOptions:pre-include:
   *
   * Headers to include before the source (`--pre-include`).
   *
   * Since: 1.0
   */
  [PROP_PRE_INCLUDE] = STRV_OPTION ("pre-include", pre_include, "--pre-include=%s"),
  /**
   * CudaObjProgramOptions:no-source-include:
   *
   * Do not search the source's own directory for headers (`--no-source-include`).
   *
   * Since: 1.0
   */
  [PROP_NO_SOURCE_INCLUDE] = SWITCH_OPTION ("no-source-include", no_source_include, "--no-source-include"),
  /**
   * CudaObjProgramOptions:builtin-move-forward:
   *
   * Provide builtin std::move and std::forward; %FALSE to not
   * (`--builtin-move-forward=false`).
   *
   * Since: 1.0
   */
  [PROP_BUILTIN_MOVE_FORWARD]
  = BOOL_OPTION ("builtin-move-forward", builtin_move_forward, "--builtin-move-forward=true",
                 "--builtin-move-forward=false", TRUE),
  /**
   * CudaObjProgramOptions:builtin-initializer-list:
   *
   * Provide a builtin std::initializer_list; %FALSE to not
   * (`--builtin-initializer-list=false`).
   *
   * Since: 1.0
   */
  [PROP_BUILTIN_INITIALIZER_LIST]
  = BOOL_OPTION ("builtin-initializer-list", builtin_initializer_list, "--builtin-initializer-list=true",
                 "--builtin-initializer-list=false", TRUE),
  /**
   * CudaObjProgramOptions:disable-warnings:
   *
   * Inhibit all warnings (`--disable-warnings`).
   *
   * Since: 1.0
   */
  [PROP_DISABLE_WARNINGS] = SWITCH_OPTION ("disable-warnings", disable_warnings, "--disable-warnings"),
  /**
   * CudaObjProgramOptions:restrict:
   *
   * Assert that all kernel pointer parameters are restrict pointers (`--restrict`).
   *
   * Since: 1.0
   */
  [PROP_RESTRICT] = SWITCH_OPTION ("restrict", restrict_, "--restrict"),
  /**
   * CudaObjProgramOptions:device-as-default-execution-space:
   *
   * Treat functions and variables without an execution space as `__device__`
   * (`--device-as-default-execution-space`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_AS_DEFAULT_EXECUTION_SPACE]
  = SWITCH_OPTION ("device-as-default-execution-space", device_as_default_execution_space,
                   "--device-as-default-execution-space"),
  /**
   * CudaObjProgramOptions:device-int128:
   *
   * Allow `__int128` in device code (`--device-int128`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_INT128] = SWITCH_OPTION ("device-int128", device_int128, "--device-int128"),
  /**
   * CudaObjProgramOptions:device-float128:
   *
   * Allow `__float128` in device code (`--device-float128`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_FLOAT128] = SWITCH_OPTION ("device-float128", device_float128, "--device-float128"),
  /**
   * CudaObjProgramOptions:optimization-info:
   *
   * Report optimizations of a kind in the log (`--optimization-info`), such as "inline".
   *
   * Since: 1.0
   */
  [PROP_OPTIMIZATION_INFO] = STRING_OPTION ("optimization-info", optimization_info, "--optimization-info=%s"),
  /**
   * CudaObjProgramOptions:no-display-error-number:
   *
   * Do not print diagnostic numbers (`--no-display-error-number`).
   *
   * Since: 1.0
   */
  [PROP_NO_DISPLAY_ERROR_NUMBER]
  = SWITCH_OPTION ("no-display-error-number", no_display_error_number, "--no-display-error-number"),
  /**
   * CudaObjProgramOptions:diag-error:
   *
   * Diagnostic numbers to turn into errors (`--diag-error`), such as `["177"]`.
   *
   * Since: 1.0
   */
  [PROP_DIAG_ERROR] = STRV_OPTION ("diag-error", diag_error, "--diag-error=%s"),
  /**
   * CudaObjProgramOptions:diag-suppress:
   *
   * Diagnostic numbers to suppress (`--diag-suppress`).
   *
   * Since: 1.0
   */
  [PROP_DIAG_SUPPRESS] = STRV_OPTION ("diag-suppress", diag_suppress, "--diag-suppress=%s"),
  /**
   * CudaObjProgramOptions:diag-warn:
   *
   * Diagnostic numbers to turn into warnings (`--diag-warn`).
   *
   * Since: 1.0
   */
  [PROP_DIAG_WARN] = STRV_OPTION ("diag-warn", diag_warn, "--diag-warn=%s"),
  /**
   * CudaObjProgramOptions:brief-diagnostics:
   *
   * Leave the source line out of diagnostics (`--brief-diagnostics=true`).
   *
   * Since: 1.0
   */
  [PROP_BRIEF_DIAGNOSTICS] = BOOL_OPTION ("brief-diagnostics", brief_diagnostics, "--brief-diagnostics=true",
                                          "--brief-diagnostics=false", FALSE),
  /**
   * CudaObjProgramOptions:time:
   *
   * Append a CSV table of the time each phase took to this file (`--time`);
   * "-" puts it in the log. Compiles with this option skip the compile cache.
   *
   * Since: 1.0
   */
  [PROP_TIME] = STRING_OPTION ("time", time, "--time=%s"),
  /**
   * CudaObjProgramOptions:split-compile:
   *
   * Threads for parallel optimization (`--split-compile`); 0 for as many as
   * there are processors, 1 (the default) for none.
   *
   * Since: 1.0
   */
  [PROP_SPLIT_COMPILE] = INT_OPTION ("split-compile", split_compile, "--split-compile=%d", 1, 0, G_MAXINT),
  /**
   * CudaObjProgramOptions:fdevice-syntax-only:
   *
   * Stop after checking the syntax (`--fdevice-syntax-only`); no usable code is made.
   *
   * Since: 1.0
   */
  [PROP_FDEVICE_SYNTAX_ONLY]
  = SWITCH_OPTION ("fdevice-syntax-only", fdevice_syntax_only, "--fdevice-syntax-only"),
  /**
   * CudaObjProgramOptions:minimal:
   *
   * Leave out some language features to compile small programs faster (`--minimal`).
   *
   * Since: 1.0
   */
  [PROP_MINIMAL] = SWITCH_OPTION ("minimal", minimal, "--minimal"),
  /**
   * CudaObjProgramOptions:no-cache:
   *
   * Turn off NVRTC's own internal cache (`--no-cache`); libcudaobj's
   * compile cache is [property@CudaObj.Program:use-cache].
   *
   * Since: 1.0
   */
  [PROP_NO_CACHE] = SWITCH_OPTION ("no-cache", no_cache, "--no-cache"),
  /**
   * CudaObjProgramOptions:fdevice-time-trace:
   *
   * Write a time trace of the compile, in Chrome's JSON format, to this
   * file (`--fdevice-time-trace`). Compiles with this option skip the compile cache.
   *
   * Since: 1.0
   */
  [PROP_FDEVICE_TIME_TRACE]
  = STRING_OPTION ("fdevice-time-trace", fdevice_time_trace, "--fdevice-time-trace=%s"),
  /**
   * CudaObjProgramOptions:frandom-seed:
   *
   * The seed for generated symbol names (`--frandom-seed`), for
   * reproducible output.
   *
   * Since: 1.0
   */
  [PROP_FRANDOM_SEED] = STRING_OPTION ("frandom-seed", frandom_seed, "--frandom-seed=%s"),
  /**
   * CudaObjProgramOptions:ofast-compile:
   *
   * Trade code quality for compile speed (`--Ofast-compile`): "0", "min", "mid" or "max".
   *
   * Since: 1.0
   */
  [PROP_OFAST_COMPILE] = STRING_OPTION ("ofast-compile", ofast_compile, "--Ofast-compile=%s"),
  /**
   * CudaObjProgramOptions:pch:
   *
   * Use and create precompiled headers automatically (`--pch`).
   *
   * Since: 1.0
   */
  [PROP_PCH] = SWITCH_OPTION ("pch", pch, "--pch"),
  /**
   * CudaObjProgramOptions:create-pch:
   *
   * Create this precompiled header file (`--create-pch`). Compiles with this
   * option skip the compile cache.
   *
   * Since: 1.0
   */
  [PROP_CREATE_PCH] = STRING_OPTION ("create-pch", create_pch, "--create-pch=%s"),
  /**
   * CudaObjProgramOptions:use-pch:
   *
   * Use this precompiled header file (`--use-pch`).
   *
   * Since: 1.0
   */
  [PROP_USE_PCH] = STRING_OPTION ("use-pch", use_pch, "--use-pch=%s"),
  /**
   * CudaObjProgramOptions:pch-dir:
   *
   * The directory of precompiled headers (`--pch-dir`).
   *
   * Since: 1.0
   */
  [PROP_PCH_DIR] = STRING_OPTION ("pch-dir", pch_dir, "--pch-dir=%s"),
  /**
   * CudaObjProgramOptions:pch-verbose:
   *
   * Say in the log why a precompiled header could not be used; %FALSE to
   * not (`--pch-verbose=false`).
   *
   * Since: 1.0
   */
  [PROP_PCH_VERBOSE]
  = BOOL_OPTION ("pch-verbose", pch_verbose, "--pch-verbose=true", "--pch-verbose=false", TRUE),
  /**
   * CudaObjProgramOptions:pch-messages:
   *
   * Say in the log when a precompiled header was created or used; %FALSE to
   * not (`--pch-messages=false`).
   *
   * Since: 1.0
   */
  [PROP_PCH_MESSAGES]
  = BOOL_OPTION ("pch-messages", pch_messages, "--pch-messages=true", "--pch-messages=false", TRUE),
  /**
   * CudaObjProgramOptions:instantiate-templates-in-pch:
   *
   * Instantiate templates before creating a precompiled header; %FALSE to
   * not (`--instantiate-templates-in-pch=false`).
   *
   * Since: 1.0
   */
  [PROP_INSTANTIATE_TEMPLATES_IN_PCH]
  = BOOL_OPTION ("instantiate-templates-in-pch", instantiate_templates_in_pch,
                 "--instantiate-templates-in-pch=true", "--instantiate-templates-in-pch=false", TRUE),
  /**
   * CudaObjProgramOptions:modify-stack-limit:
   *
   * Let NVRTC raise the process's stack limit while it compiles; %FALSE to
   * not (`--modify-stack-limit=false`).
   *
   * Since: 1.0
   */
  [PROP_MODIFY_STACK_LIMIT] = BOOL_OPTION ("modify-stack-limit", modify_stack_limit,
                                           "--modify-stack-limit=true", "--modify-stack-limit=false", TRUE),
  /**
   * CudaObjProgramOptions:device-stack-protector:
   *
   * Put stack canaries in device code (`--device-stack-protector=true`).
   *
   * Since: 1.0
   */
  [PROP_DEVICE_STACK_PROTECTOR]
  = BOOL_OPTION ("device-stack-protector", device_stack_protector, "--device-stack-protector=true",
                 "--device-stack-protector=false", FALSE),
  /**
   * CudaObjProgramOptions:jump-table-density:
   *
   * The case density, in percent, from which a switch becomes a jump
   * table (`--jump-table-density`); 101, the default, for never.
   *
   * Since: 1.0
   */
  [PROP_JUMP_TABLE_DENSITY]
  = INT_OPTION ("jump-table-density", jump_table_density, "--jump-table-density=%d", 101, 0, 101),
  /**
   * CudaObjProgramOptions:use-libdevice:
   *
   * Whether an NVVM IR program is linked with libdevice, CUDA's math
   * library in bitcode (`libdevice.10.bc`), so that IR can call its
   * functions, such as `__nv_sinf` or `__nv_exp`, as front ends that emit
   * NVVM IR expect. The file is the one [func@CudaObj.find_libdevice]
   * finds; it is added to the program lazily (`nvvmLazyAddModuleToProgram`),
   * so only the functions the IR calls are linked in. A compile with this
   * on fails with %CUDA_OBJ_ERROR_LIBRARY_NOT_FOUND, listing the places
   * searched, when there is no libdevice. With it off, a call of a
   * libdevice function stays an external reference in the PTX, and
   * compiling to a CUBIN fails with an undefined reference to it. The
   * compile cache keys on the file's path, size and times. C++ programs
   * (NVRTC links libdevice itself) and PTX programs ignore it.
   *
   * Since: 1.0
   */
  [PROP_USE_LIBDEVICE] = FLAG_OPTION ("use-libdevice", use_libdevice, TRUE),
  /**
   * CudaObjProgramOptions:extra-options:
   *
   * Further options passed to the compiler as they are, after all others:
   * for NVRTC options this class lacks, or libNVVM options for NVVM IR.
   *
   * Since: 1.0
   */
  [PROP_EXTRA_OPTIONS] = VERBATIM_OPTION ("extra-options", extra_options),
};

static GParamSpec *properties[N_PROPS];

static CudaObjOptionTable table = {
  specs,
  N_PROPS,
  G_STRUCT_OFFSET (CudaObjProgramOptions, fields),
  properties,
  G_STRUCT_OFFSET (CudaObjProgramOptions, generation),
};

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
 * Values are checked when the options are used, by
 * [method@CudaObj.ProgramOptions.to_argv] or a compile: a number out of its
 * option's range (a negative [property@CudaObj.ProgramOptions:max-register-count]) or
 * a malformed [property@CudaObj.ProgramOptions:arch] is then a
 * %CUDA_OBJ_ERROR_INVALID_ARGUMENT error naming the option.
 *
 * Options are plain data: copy them with [method@CudaObj.ProgramOptions.copy]
 * to share a base set. A [class@CudaObj.Program] reads its options when a compile
 * starts, so changing them afterwards affects only later compiles.
 *
 * Since: 1.0
 */
G_DEFINE_FINAL_TYPE (CudaObjProgramOptions, cuda_obj_program_options, G_TYPE_OBJECT)

static void
cuda_obj_program_options_class_init (CudaObjProgramOptionsClass *klass)
{
  cuda_obj_option_table_install (&table, G_OBJECT_CLASS (klass));
}

static void
cuda_obj_program_options_init (CudaObjProgramOptions *self)
{
  cuda_obj_option_fields_init (&table, &self->fields);
}

const CudaObjOptionTable *
cuda_obj_program_options_get_table (void)
{
  return &table;
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
  cuda_obj_option_fields_copy (&table, &self->fields, &copy->fields);
  return copy;
}

char **
cuda_obj_program_options_render (const CudaObjProgramOptionsFields *fields, GError **error)
{
  return cuda_obj_option_fields_render (&table, fields, error);
}

/**
 * cuda_obj_program_options_to_argv:
 * @self: a [class@CudaObj.ProgramOptions]
 * @error: return location for a [struct@GLib.Error]
 *
 * Renders the options as the command line NVRTC gets, such as
 * `["--gpu-architecture=sm_90", "--std=c++17", "--use_fast_math"]`: the
 * architecture first, then every option whose value differs from NVRTC's
 * default, then [property@CudaObj.ProgramOptions:extra-options]. A compile
 * adds the toolkit's header directories after these (see
 * [property@CudaObj.ProgramOptions:toolkit-include-dirs]); they are left
 * out here, since they depend on the machine that compiles.
 *
 * Returns: (transfer full) (array zero-terminated=1): the arguments, or
 *   %NULL with @error set: %CUDA_OBJ_ERROR_INVALID_ARGUMENT for a malformed
 *   architecture, none given with no device to take it from, or a number
 *   out of its option's range (the message names the option)
 *
 * Since: 1.0
 */
char **
cuda_obj_program_options_to_argv (CudaObjProgramOptions *self, GError **error)
{
  g_return_val_if_fail (CUDA_OBJ_IS_PROGRAM_OPTIONS (self), NULL);

  return cuda_obj_program_options_render (&self->fields, error);
}

static void
add_each (GPtrArray *argv, char *const *items)
{
  for (guint j = 0; items != NULL && items[j] != NULL; j++)
    g_ptr_array_add (argv, g_strdup (items[j]));
}

char **
cuda_obj_program_options_render_nvvm (const CudaObjProgramOptionsFields *fields, gboolean lto, GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *number = NULL;
  gboolean fast_math = fields->use_fast_math;

  if (!cuda_obj_option_fields_validate (&table, fields, error)
      || !cuda_obj_arch_resolve (fields->arch, &number, NULL, error))
    return NULL;
  /* libNVVM makes PTX for virtual architectures only. */
  g_ptr_array_add (argv, g_strdup_printf ("-arch=compute_%s", number));
  if (fields->debug)
    {
      g_ptr_array_add (argv, g_strdup ("-g"));
      if (!fields->device_code_optimize)
        g_ptr_array_add (argv, g_strdup ("-opt=0"));
    }
  if (fast_math || fields->ftz)
    g_ptr_array_add (argv, g_strdup ("-ftz=1"));
  if (fast_math || !fields->prec_sqrt)
    g_ptr_array_add (argv, g_strdup ("-prec-sqrt=0"));
  if (fast_math || !fields->prec_div)
    g_ptr_array_add (argv, g_strdup ("-prec-div=0"));
  if (!fast_math && !fields->fmad)
    g_ptr_array_add (argv, g_strdup ("-fma=0"));
  if (fields->jump_table_density != specs[PROP_JUMP_TABLE_DENSITY].default_value)
    g_ptr_array_add (argv, g_strdup_printf ("-jump-table-density=%d", fields->jump_table_density));
  if (lto)
    g_ptr_array_add (argv, g_strdup ("-gen-lto"));
  add_each (argv, fields->extra_options);
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&argv), FALSE);
}
