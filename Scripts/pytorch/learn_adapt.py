"""Fitting the classes students actually write to the reference cases.

- **Which class**: the documented name (`LSTM`, `build_generator`, …), else the one name
  that spells it in another case (`RMSProp`, `Softmax_Cross_Entropy`), else the one class
  of the student's own files whose name says it (`LSTMModel`, `Generator`, `Critic`,
  `FeedForwardMLP`, `LinearModule`, `ConvLayer`), or the one function (`build_mlp`,
  `make_mlp`), else what the instructor's declaration names.
- **Constructors**: arguments matched by name (`seq_length`, `input_dim`, `hidden_dim`,
  `output_dim`, `batch_size`, `device`, `latent_dim`, `in_channels`, `kernel_size`,
  `stride`, … and common synonyms), or as the declaration says; the documented
  positional call when nothing matches.
- **Parameters**: the maths' symbols (wgx, wgh, bg, …, wph, bp) found among the student's
  tensors by name pattern (`W_gx`, `Wgx.weight`, `lin_xg`, `input2hidden`, `forget_gate_x`)
  and by shape; one `nn.Linear` per weight matrix (its bias joins the gate's biases: the
  first is set to the case's b, the others to 0); plain tensor attributes too; the
  stacked gates of `nn.LSTM` / `nn.RNN` (forbidden by the assignment: the report says so).
- **Outputs**: p and h read during `forward` (`Capture`), so a `forward` returning
  softmax probabilities, or p without h, still answers; a discriminator's logits read at
  its last linear layer, before a sigmoid.
- **Networks**: the case's layers matched to the student's by counting layers that have
  parameters (a Dropout does not shift them), in the order `forward` runs them (an MLP's
  `self.out` made before its hidden layers); a network with sizes hard-coded is rebuilt
  at the case's sizes, with the student's own layer types and settings (BatchNorm's eps
  and momentum), when its structure matches, and refused in plain words when it does not.

Only the child imports this module (it needs torch).
"""

from __future__ import annotations

import copy
import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import torch
from torch import nn
from torch.overrides import TorchFunctionMode


class InterfaceError(Exception):
    """Replaced by learn_answers.InterfaceError when the tool loads this module."""


# ----------------------------------------------------------------------------------------
# Which class provides an entry point
# ----------------------------------------------------------------------------------------

CLASS_PATTERNS: dict[str, Callable[[str], bool]] = {
    "LSTM": lambda n: "lstm" in n,
    "RNN": lambda n: "rnn" in n and "lstm" not in n,
    "build_generator": lambda n: "generator" in n or n in ("g", "gen", "netg", "gnet"),
    "build_discriminator": lambda n: "discriminator" in n or "critic" in n or n in ("d", "disc", "netd", "dnet"),
    "MLP": lambda n: "mlp" in n or "perceptron" in n or "feedforward" in n,
    # Assignment 2's layers as its students name them (`LinearModule`, `ReLULayer`): whole names only
    "Linear": lambda n: squash(n) in ("linearmodule", "linearlayer", "mylinear", "affine", "affinelayer",
                                      "affinemodule", "dense", "denselayer", "fullyconnected", "fclayer"),
    "ReLU": lambda n: squash(n) in ("relumodule", "relulayer", "myrelu", "reluactivation", "rectifier"),
    # … and its CNN's layers (`ConvLayer`, `MaxPoolLayer`, `SpatialBatchNorm`), whole names only too
    "Conv2d": lambda n: squash(n) in ("conv", "convlayer", "convmodule", "conv2dlayer", "conv2dmodule", "myconv",
                                      "myconv2d", "convolution", "convolution2d", "convolutionlayer",
                                      "convolutional", "convolutionallayer", "conv2dmanual"),
    "MaxPool2d": lambda n: squash(n) in ("maxpool", "maxpoollayer", "maxpoolmodule", "maxpool2dlayer",
                                         "maxpool2dmodule", "mymaxpool", "mymaxpool2d", "maxpooling",
                                         "maxpooling2d", "maxpoolinglayer", "pool", "pooling", "poollayer"),
    "BatchNorm2d": lambda n: squash(n) in ("batchnorm2dlayer", "batchnorm2dmodule", "mybatchnorm2d",
                                           "spatialbatchnorm", "spatialbatchnormalization", "batchnormalization2d",
                                           "batchnorm2dmanual", "bn2d", "spatialbn"),
}

# Functions that build the entry's module (an nn.Sequential factory), by their lower-case name.
FACTORY_PATTERNS: dict[str, re.Pattern] = {
    "MLP": re.compile(r"^((build|make|create|get|new|init)_?)?(an?_)?(mlp|perceptron|feedforward)"
                      r"(_?(model|net|network|classifier))?$"),
}


def own_classes(namespace: dict[str, Any]) -> list[tuple[str, type]]:
    """The nn.Module subclasses defined in the student's own files."""
    modules = namespace.get("__learn_student_modules__", set())
    return [(name, value) for name, value in namespace.items()
            if isinstance(value, type) and issubclass(value, nn.Module)
            and (value.__module__ in modules or value.__module__.startswith("learn_student_"))]


def own_functions(namespace: dict[str, Any]) -> list[tuple[str, Any]]:
    """The functions defined in the student's own files."""
    modules = namespace.get("__learn_student_modules__", set())
    return [(name, value) for name, value in namespace.items() if inspect.isfunction(value)
            and (value.__module__ in modules or value.__module__.startswith("learn_student_"))]


def provider(namespace: dict[str, Any], entry: str, declared: dict[str, Any]) -> tuple[Any, str | None]:
    """(the callable that provides `entry`, a note when it is not the documented name),
    or (None, why not)."""
    named = declared.get(entry, {}).get("class")
    if named:
        value = namespace.get(named)
        return (value, f"{entry}: {named}, as the declaration says") if callable(value) else (
            None, f"{entry}: the declaration names {named}, which the files do not define")
    if callable(namespace.get(entry)):
        return namespace[entry], None
    # The documented name in another case or with other underscores (`RMSProp`, `Softmax_Cross_Entropy`):
    # a class or a function, never an object made at module level (`rnn = RNN(…)`).
    # A capitalised entry is a class (`ReLU`): a function `relu(x)` is not it, but may be made into it below.
    alike = [(n, v) for n, v in namespace.items() if not n.startswith("__") and squash(n) == squash(entry)
             and (inspect.isclass(v) or (not entry[0].isupper() and (inspect.isfunction(v) or inspect.isbuiltin(v))))]
    if len(alike) == 1:
        return alike[0][1], f"{entry}: {alike[0][0]} (the documented name is {entry})"
    if entry not in CLASS_PATTERNS:
        return None, None
    hits = [(n, c) for n, c in own_classes(namespace) if CLASS_PATTERNS[entry](n.lower())]
    if not hits and entry in FACTORY_PATTERNS:
        functions = [(n, f) for n, f in own_functions(namespace) if FACTORY_PATTERNS[entry].match(n.lower())]
        if len(functions) == 1:
            return functions[0][1], f"{entry}: the function {functions[0][0]}"
        if functions:
            return None, (f"{entry}: several functions could be it ({', '.join(n for n, _ in functions)}); "
                          "the instructor's declaration says which")
    if not hits and entry in FUNCTION_LAYERS:
        names, arity = FUNCTION_LAYERS[entry]
        functions = [(n, f) for n, f in own_functions(namespace) if squash(n) in names and positional(f) >= arity]
        if len(functions) == 1:
            name, function = functions[0]
            layout = namespace.get("WEIGHT_LAYOUT", "out_in")
            return function_layer(entry, function, name, layout), (
                f"{entry}: the function {name}, run as a layer" + (f" (W given {layout})" if entry == "Linear" else ""))
    if len(hits) > 1:  # a base class and its subclass, say: the most derived one that is not a base
        hits = [(n, c) for n, c in hits if not any(o is not c and issubclass(o, c) for _, o in hits)] or hits
    if len(hits) == 1:
        return hits[0][1], f"{entry}: the class {hits[0][0]}"
    if hits:
        return None, (f"{entry}: several classes could be it ({', '.join(n for n, _ in hits)}); "
                      "the instructor's declaration says which")
    return None, None


# ----------------------------------------------------------------------------------------
# Constructors
# ----------------------------------------------------------------------------------------

def squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# Assignment 2's layers written as functions (`def relu(x)`, `def linear(x, W, b)`), and
# the positional arguments they take: made into layers by `function_layer`.
FUNCTION_LAYERS = {"Linear": ({"linear", "linearforward", "affine", "affineforward", "dense", "fc", "fullyconnected"}, 3),
                   "ReLU": ({"relu", "reluforward", "rectify", "rectifier"}, 1)}


def positional(function: Any) -> int:
    try:
        return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                   for p in inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return 0


def function_layer(entry: str, function: Any, name: str, layout: str) -> type:
    """A layer class around the student's function: `ReLU()` calls relu(x); `Linear(in,
    out)` holds the weight (out×in, as the case's) and bias and calls linear(x, W, b),
    W in the file's WEIGHT_LAYOUT."""
    if entry == "ReLU":
        class FunctionReLU(nn.Module):
            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return function(x)
        FunctionReLU.__name__ = FunctionReLU.__qualname__ = name
        return FunctionReLU

    class FunctionLinear(nn.Module):
        WEIGHT_LAYOUT = "out_in"  # held as the case's; handed to the function in the file's layout

        def __init__(self, in_features: int, out_features: int):
            super().__init__()
            self.weight = nn.Parameter(torch.zeros(out_features, in_features))
            self.bias = nn.Parameter(torch.zeros(out_features))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return function(x, self.weight.T if layout == "in_out" else self.weight, self.bias)
    FunctionLinear.__name__ = FunctionLinear.__qualname__ = name
    return FunctionLinear


# Argument names → the case's size they mean, per entry point.
SEQUENCE_ARGUMENTS = {
    "T": {"seqlength", "seqlen", "sequencelength", "inputlength", "timesteps", "t", "steps", "length", "seqsize"},
    "D": {"inputdim", "inputsize", "indim", "infeatures", "ninput", "ninputs", "numinputs", "inputfeatures", "d",
          "nin", "inputdimension", "inputdims", "vocabsize", "numfeatures", "nfeatures"},
    "H": {"hiddendim", "numhidden", "hiddensize", "nhidden", "hiddenunits", "h", "hidden", "nh", "hiddendimension",
          "numunits", "units", "hiddendims", "hdim", "nunits"},
    "K": {"numclasses", "outputdim", "outputsize", "nclasses", "numoutputs", "outdim", "k", "nout", "classes",
          "noutputs", "outputdimension", "outfeatures", "nclass", "numclass"},
    "N": {"batchsize", "batch", "n", "bs", "nbatch", "batchdim"},
    "device": {"device", "dev"},
}
GENERATOR_ARGUMENTS = {
    "Z": {"latentdim", "zdim", "noisedim", "nz", "noisesize", "latentsize", "latent", "zsize", "inputdim",
          "inputsize", "ninput", "indim", "noise", "latentdimension"},
    "P": {"imgsize", "imagesize", "imgdim", "imagedim", "npixels", "outputdim", "outputsize", "outdim", "imgpixels",
          "imsize", "nout", "imagepixels"},
    "widths": {"widths", "hiddendims", "hiddensizes", "hiddenlayers", "layers", "hidden"},
    "slope": {"slope", "negativeslope", "leak", "leakyslope", "leakyreluslope", "alpha", "reluslope"},
    "momentum": {"momentum", "bnmomentum"},
    "eps": {"eps", "epsilon", "bneps"},
    "device": {"device", "dev"},
}
DISCRIMINATOR_ARGUMENTS = {
    "P": {"imgsize", "imagesize", "imgdim", "imagedim", "npixels", "inputdim", "inputsize", "ninput", "indim",
          "imsize", "imagepixels"},
    "widths": GENERATOR_ARGUMENTS["widths"],
    "slope": GENERATOR_ARGUMENTS["slope"],
    "device": {"device", "dev"},
}
# The MLP: `widths` is the whole list [inputs, hidden…, classes]; `hidden` the hidden widths alone.
MLP_ARGUMENTS = {
    "widths": {"widths", "sizes", "layersizes", "layerwidths", "dims", "layerdims", "dimensions", "architecture",
               "layers", "units", "topology", "neurons", "shape", "layerunits", "arch"},
    "D": SEQUENCE_ARGUMENTS["D"] | {"inputs", "inputshape", "nfeat", "dimin", "insize", "inputunits"},
    "hidden": {"nhidden", "hidden", "hiddensizes", "hiddendims", "hiddenlayers", "hiddenunits", "hiddenwidths",
               "hiddenlayersizes", "numhidden", "hiddendim", "hiddensize", "nhiddens", "hiddenlayerdims",
               "hiddenlayerunits", "hiddenlayersize", "hiddenlayerwidths", "hiddenneurons"},
    "K": SEQUENCE_ARGUMENTS["K"] | {"outputs", "noutput", "dimout", "outsize", "outputunits", "ncls"},
    "device": {"device", "dev"},
}
# Assignment 2's CNN layers: `kernel` is an int for a square kernel, else (K_h, K_w); K_h and
# K_w go on their own to a constructor that takes them apart.
WINDOW_ARGUMENTS = {
    "kernel": {"kernelsize", "kernel", "k", "ksize", "kernelshape", "filtersize", "poolsize", "windowsize", "window",
               "size"},
    "KH": {"kernelheight", "kh", "kernelh", "filterheight", "poolheight", "hh"},
    "KW": {"kernelwidth", "kw", "kernelw", "filterwidth", "poolwidth", "ww"},
    "stride": {"stride", "strides", "s", "step"},
    "padding": {"padding", "pad", "p", "paddings", "zeropadding"},
    "device": {"device", "dev"},
}
CONV2D_ARGUMENTS = {
    "C_in": {"inchannels", "inchannel", "cin", "channelsin", "inputchannels", "ninputchannels", "numinputchannels",
             "inch", "inplanes", "nin", "channels", "nchannels", "numchannels", "c"},
    "C_out": {"outchannels", "outchannel", "cout", "channelsout", "outputchannels", "noutputchannels",
              "numoutputchannels", "outch", "outplanes", "nout", "filters", "nfilters", "numfilters", "nkernels",
              "numkernels"},
    **WINDOW_ARGUMENTS,
}
BATCH_NORM_2D_ARGUMENTS = {
    "C": {"numfeatures", "nfeatures", "features", "channels", "numchannels", "nchannels", "channel", "inchannels",
          "c", "nc", "dim", "size"},
    "eps": GENERATOR_ARGUMENTS["eps"],
    "momentum": GENERATOR_ARGUMENTS["momentum"],
    "device": {"device", "dev"},
}
ARGUMENTS = {"LSTM": SEQUENCE_ARGUMENTS, "RNN": SEQUENCE_ARGUMENTS, "build_generator": GENERATOR_ARGUMENTS,
             "build_discriminator": DISCRIMINATOR_ARGUMENTS, "MLP": MLP_ARGUMENTS, "Conv2d": CONV2D_ARGUMENTS,
             "MaxPool2d": WINDOW_ARGUMENTS, "BatchNorm2d": BATCH_NORM_2D_ARGUMENTS}
DOCUMENTED_ORDER = {"LSTM": ("D", "H", "K"), "RNN": ("D", "H", "K"),
                    "build_generator": ("Z", "widths", "P", "slope", "momentum", "eps"),
                    "build_discriminator": ("P", "widths", "slope"), "MLP": ("widths",),
                    # torch.nn's positional order
                    "Conv2d": ("C_in", "C_out", "kernel", "stride", "padding"),
                    "MaxPool2d": ("kernel", "stride", "padding"), "BatchNorm2d": ("C", "eps", "momentum")}


def takes_one_width(p: inspect.Parameter) -> bool:
    """An argument for the hidden widths written for one hidden layer (`n_hidden: int = 64`)."""
    return p.annotation in (int, "int") or (isinstance(p.default, int) and not isinstance(p.default, bool))


@dataclass
class Arguments:
    """How `construct` calls a maker: by name (`kwargs`, and `meaning`: argument → the
    case's size or setting it gets, for the report), or, when no name is recognised,
    by the documented position (`positional`); `unknown`: required arguments left over."""
    named: list[inspect.Parameter]
    kwargs: dict[str, Any]
    meaning: dict[str, str]
    unknown: list[str]
    positional: bool

    def given(self, entry: str) -> set[str]:
        """The case's sizes and settings the call hands over."""
        return set(DOCUMENTED_ORDER[entry]) if self.positional else set(self.meaning.values())


def arguments(maker: Any, entry: str, sizes: dict[str, Any], declared: dict[str, Any]) -> Arguments:
    """The maker's constructor arguments matched by name to the case's `sizes` (or as the
    declaration says)."""
    table, wanted = ARGUMENTS[entry], declared.get(entry, {}).get("arguments", {})
    try:
        parameters = list(inspect.signature(maker).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    named = [p for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    kwargs: dict[str, Any] = {}
    meaning: dict[str, str] = {}  # argument → the case's size it was given, for the report
    unknown: list[str] = []
    for p in named:
        symbol = wanted.get(p.name)
        if symbol is None:
            symbol = next((s for s, names in table.items() if squash(p.name) in names), None)
        if isinstance(symbol, str) and symbol in sizes:
            kwargs[p.name], meaning[p.name] = sizes[symbol], symbol
        elif symbol is not None and not (isinstance(symbol, str) and symbol in table):
            kwargs[p.name], meaning[p.name] = symbol, repr(symbol)  # a literal the declaration gives
        elif p.default is p.empty:
            unknown.append(p.name)
    positional = (not kwargs and (bool(unknown) or any(p.kind == p.VAR_POSITIONAL for p in parameters))
                  and entry in DOCUMENTED_ORDER)
    return Arguments(named, kwargs, meaning, unknown, positional)


def construct(maker: Any, entry: str, sizes: dict[str, Any], declared: dict[str, Any]) -> tuple[Any, str]:
    """Calls the class or factory with the case's sizes, its arguments matched by name;
    returns (what it made, the call in words). The documented positional call is used
    when no argument name is recognised (a `*sizes` constructor, say)."""
    matched = arguments(maker, entry, sizes, declared)
    named, kwargs, meaning, unknown = matched.named, matched.kwargs, matched.meaning, matched.unknown
    if matched.positional:
        order = DOCUMENTED_ORDER[entry]
        return maker(*(sizes[s] for s in order)), f"{getattr(maker, '__name__', entry)}({', '.join(order)}) by position"
    if unknown:
        raise InterfaceError(
            f"{getattr(maker, '__name__', entry)}'s constructor needs {', '.join(unknown)}, which the tool cannot "
            f"match to the case's sizes ({', '.join(f'{k}={v!r}' for k, v in sizes.items())}); an instructor's "
            f"declaration can name them: {{\"{entry}\": {{\"arguments\": {{\"{unknown[0]}\": \"H\"}}}}}}")
    call = f"{getattr(maker, '__name__', entry)}({', '.join(f'{k}={v}' for k, v in meaning.items())})"
    # The MLP's hidden widths go as a list; an argument written for one hidden layer gets an int.
    one = [p.name for p in named if meaning.get(p.name) == "hidden"]
    if one:
        name, hidden = one[0], list(sizes["hidden"])
        by_name = {p.name: p for p in named}
        if takes_one_width(by_name[name]):
            if len(hidden) != 1:
                raise InterfaceError(
                    f"{getattr(maker, '__name__', entry)}'s {name} takes one hidden width (an int), but the case's "
                    f"network has {len(hidden)} hidden layers {hidden} (widths {sizes.get('widths')}): the "
                    "assignment's MLP is built from a list of hidden widths")
            kwargs[name] = hidden[0]
        else:
            try:
                return maker(**kwargs), call
            except TypeError:  # `nn.Linear(n_inputs, n_hidden)`: it wanted an int
                if len(hidden) != 1:
                    raise
                kwargs[name] = hidden[0]
    return maker(**kwargs), call


# ----------------------------------------------------------------------------------------
# The student's tensors and the maths' symbols
# ----------------------------------------------------------------------------------------

@dataclass
class Slot:
    """One student tensor (or a block of rows of one) that holds a case parameter."""
    name: str
    owner: nn.Module
    attribute: str
    rows: slice | None = None
    torch_layer: bool = False

    @property
    def tensor(self) -> torch.Tensor:
        return getattr(self.owner, self.attribute)

    @property
    def shape(self) -> tuple[int, ...]:
        t = self.tensor
        return tuple(t[self.rows].shape if self.rows is not None else t.shape)


@dataclass
class Mapping:
    """Case symbol → the slots that hold it (biases may have several: the first gets the
    case's value, the others 0), and what the report says about it."""
    slots: dict[str, list[Slot]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        for symbol, slots in sorted(self.slots.items()):
            extra = f" (+{', '.join(s.name for s in slots[1:])} set to 0)" if len(slots) > 1 else ""
            parts.append(f"{symbol}←{slots[0].name}{extra}")
        return ", ".join(parts)


WORDS = (("candidate", "g"), ("modulation", "g"), ("forget", "f"), ("output", "o"), ("input", "i"),
         ("cell", "g"), ("gate", ""), ("hidden", "h"), ("prev", ""), ("state", ""))
PROJECTION_WORDS = {"p", "y", "v", "pred", "prediction", "proj", "projection", "classifier", "cls", "dense", "readout",
                    "decoder", "head", "out", "ph", "hp", "hy", "yh", "hv", "vh", "ho", "oh"}
TWO_WAY = re.compile(r"^(.*?)(?:2|to)(.*)$")
SIDES = {"x": "x", "i": "x", "in": "x", "input": "x", "h": "h", "hidden": "h", "hid": "h",
         "o": "p", "out": "p", "output": "p", "p": "p", "y": "p", "pred": "p"}


def code_of(name: str) -> str:
    """A tensor's name reduced to letters that say gate and source: `W_gx`, `Wgx.weight`,
    `forget_gate_x` → `gx`, `fx`; `input2hidden` → `hx`; `b_f` → `f`."""
    raw = re.sub(r"[^a-z0-9]", "", name.lower())
    raw = re.sub(r"^(weights?|bias(es)?|linear|lin|layer|param)", "", raw)
    two = TWO_WAY.match(raw)
    if two and two.group(1) in SIDES and two.group(2) in SIDES:
        return SIDES[two.group(2)].replace("p", "p") + SIDES[two.group(1)]
    letters = re.sub(r"[0-9]", "", raw)
    if letters in PROJECTION_WORDS:
        return letters
    for word, letter in WORDS:
        letters = letters.replace(word, letter)
    if len(letters) > 1 and letters[0] in "wb":
        letters = letters[1:]
    elif letters in ("w", "b"):
        letters = ""
    return letters


def weight_symbol(code: str, symbols: set[str]) -> str | None:
    """The weight symbol a name code spells (`gx`/`xg` → wgx; `ph`, `out` → wph)."""
    if code in PROJECTION_WORDS and "wph" in symbols and code not in ("hh",):
        if code not in ("ho", "oh") or "woh" not in symbols:
            return "wph"
    for symbol in symbols:
        if symbol.startswith("w") and symbol != "wph" and sorted(code) == sorted(symbol[1:]) and len(code) == 2:
            return symbol
    return None


def bias_symbol(code: str, symbols: set[str]) -> str | None:
    if f"b{code}" in symbols:
        return f"b{code}"
    if code in PROJECTION_WORDS and "bp" in symbols:
        return "bp"
    return None


def tensor_attributes(module: nn.Module) -> list[str]:
    """A module's own parameters and its plain float tensor attributes (`self.bg =
    torch.zeros(H)`), not its buffers' running statistics."""
    names = list(module._parameters)
    names += [n for n, v in vars(module).items() if isinstance(v, torch.Tensor) and v.is_floating_point()
              and v.dim() in (1, 2) and n not in names]
    return [n for n in names if getattr(module, n, None) is not None]


def linear_like(module: nn.Module) -> bool:
    p = module._parameters
    return isinstance(p.get("weight"), torch.Tensor) and p["weight"].dim() == 2 and set(p) <= {"weight", "bias"}


STACKED_GATES = ("i", "f", "g", "o")  # torch.nn.LSTM's order of the gates in its stacked weights


def stacked_slots(path: str, module: nn.Module, symbols: set[str], mapping: Mapping) -> bool:
    """torch.nn.LSTM / LSTMCell / RNN / RNNCell: the gates are blocks of rows of stacked
    weights; both biases (ih and hh) join each gate's bias."""
    suffix = "_l0" if isinstance(module, (nn.LSTM, nn.RNN)) else ""
    if not isinstance(module, (nn.LSTM, nn.LSTMCell, nn.RNN, nn.RNNCell)):
        return False
    kind = type(module).__name__
    mapping.forbidden.append(f"{path or 'the model'} is torch.nn.{kind}, which the assignment forbids "
                             "(its equations are torch's, not the student's)")
    if isinstance(module, (nn.LSTM, nn.RNN)) and (module.num_layers != 1 or module.bidirectional):
        raise InterfaceError(f"{path}: torch.nn.{kind} with {module.num_layers} layers"
                             f"{', bidirectional' if module.bidirectional else ''} is not the case's model")
    H = module.hidden_size
    gates = STACKED_GATES if "LSTM" in kind else ("h",)
    prefix = f"{path}." if path else ""
    for k, gate in enumerate(gates):
        rows = slice(k * H, (k + 1) * H)
        for source, attribute in (("x", f"weight_ih{suffix}"), ("h", f"weight_hh{suffix}")):
            mapping.slots[f"w{gate}{source}"] = [Slot(f"{prefix}{attribute}[{k * H}:{(k + 1) * H}]", module,
                                                      attribute, rows, True)]
        biases = [Slot(f"{prefix}{a}[{k * H}:{(k + 1) * H}]", module, a, rows, True)
                  for a in (f"bias_ih{suffix}", f"bias_hh{suffix}") if getattr(module, a, None) is not None]
        if biases:
            mapping.slots[f"b{gate}"] = biases
    return True


def map_sequence(model: nn.Module, symbols: set[str], shapes: dict[str, tuple[int, int]], layout_of: Callable,
                 declared: dict[str, Any]) -> Mapping:
    """Finds every case symbol among the model's tensors: the declaration's names first,
    then name patterns, then shapes (a tensor whose shape only one open symbol has)."""
    mapping = Mapping()
    modules = dict(model.named_modules())
    units: list[tuple[str, nn.Module]] = []       # linear-like layers: a weight and its bias
    loose: list[Slot] = []                        # tensors of their own
    skip: list[str] = []                          # modules already accounted for, with all inside them
    for path, module in modules.items():
        if any(path.startswith(p + ".") for p in skip):
            continue
        if stacked_slots(path, module, symbols, mapping):
            skip.append(path)
            continue
        if path and linear_like(module):
            units.append((path, module))
            skip.append(path)
            continue
        for attribute in tensor_attributes(module):
            loose.append(Slot(f"{path}.{attribute}" if path else attribute, module, attribute, None,
                              type(module).__module__.startswith("torch.")))

    def expected_shape(symbol: str, slot: Slot) -> tuple[int, ...]:
        case = shapes[symbol]
        if symbol.startswith("b"):
            return case
        return case[::-1] if layout_of(slot.owner) == "in_out" else case

    def fits(symbol: str, slot: Slot) -> bool:
        if symbol.startswith("w") and layout_of(slot.owner) == "any":
            return slot.shape in (shapes[symbol], shapes[symbol][::-1])
        want = expected_shape(symbol, slot)
        have = slot.shape
        return have == want if symbol.startswith("w") else tuple(d for d in have if d != 1) == tuple(
            d for d in want if d != 1)

    weights: dict[str, Slot] = {}
    claimed: dict[str, str] = {}
    unit_weights = [(path, Slot(f"{path}.weight", m, "weight", None, type(m).__module__.startswith("torch.")))
                    for path, m in units]
    loose_weights = [s for s in loose if s.tensor.dim() == 2 and not code_of(s.attribute).startswith("b")
                     and not s.attribute.lower().startswith("b")]
    loose_biases = [s for s in loose if s not in loose_weights]
    declared_names = declared.get("parameters", {})
    unit_biases = [Slot(f"{path}.bias", m, "bias", None, type(m).__module__.startswith("torch."))
                   for path, m in units if m._parameters.get("bias") is not None]
    by_name = {s.name: s for s in [*(s for _, s in unit_weights), *unit_biases, *loose]}
    for symbol, names in declared_names.items():
        names = [names] if isinstance(names, str) else list(names)
        found = [by_name.get(n) for n in names]
        if None in found:
            raise InterfaceError(f"the declaration maps {symbol} to {', '.join(names)}, but the model's tensors are "
                                 f"{', '.join(by_name)}")
        if symbol.startswith("w"):
            weights[symbol] = found[0]
        else:
            mapping.slots[symbol] = found
        for s in found:
            claimed[s.name] = symbol

    def claim(symbol: str | None, slot: Slot) -> None:
        if symbol is None or symbol not in symbols or slot.name in claimed:
            return
        if symbol in weights and weights[symbol] is not slot:
            raise InterfaceError(f"both {weights[symbol].name} and {slot.name} look like the case's {symbol}; "
                                 "an instructor's declaration can say which")
        weights[symbol] = slot
        claimed[slot.name] = symbol

    for path, slot in unit_weights:  # `Wgx`, else the whole path (`input_gate.x`, `candidate.h`)
        claim(weight_symbol(code_of(path.rpartition(".")[2]), symbols)
              or weight_symbol(code_of(path), symbols), slot)
    for slot in loose_weights:
        claim(weight_symbol(code_of(slot.attribute), symbols), slot)
    progress = True
    while progress:  # by shape: a tensor only one open symbol fits
        progress = False
        for slot in [s for _, s in unit_weights] + loose_weights:
            if slot.name in claimed:
                continue
            open_ = [s for s in symbols if s.startswith("w") and s not in weights and s not in mapping.slots
                     and fits(s, slot)]
            if len(open_) == 1:
                claim(open_[0], slot)
                progress = True
    for symbol, slot in weights.items():
        mapping.slots[symbol] = [slot]
    # Biases: a tensor of its own named for the gate first, then the biases of the gate's layers.
    for slot in loose_biases:
        symbol = bias_symbol(code_of(slot.attribute), symbols)
        if symbol is not None and slot.name not in claimed and symbol not in declared_names:
            mapping.slots.setdefault(symbol, []).insert(0, slot)
            claimed[slot.name] = symbol
    for path, module in units:
        owner_symbol = claimed.get(f"{path}.weight")
        if owner_symbol is None or module._parameters.get("bias") is None:
            continue
        symbol = "bp" if owner_symbol == "wph" else "b" + owner_symbol[1:-1]
        if symbol in symbols and symbol not in declared_names:
            mapping.slots.setdefault(symbol, []).append(
                Slot(f"{path}.bias", module, "bias", None, type(module).__module__.startswith("torch.")))
    for symbol in [s for s in symbols if s.startswith("b") and s not in mapping.slots]:
        open_ = [s for s in loose_biases if s.name not in claimed and fits(symbol, s)]
        if len(open_) == 1:
            mapping.slots[symbol] = open_
            claimed[open_[0].name] = symbol
    missing = sorted(symbols - set(mapping.slots))
    if missing:
        tensors = [f"{s.name} {'×'.join(map(str, s.shape))}" for _, s in unit_weights] + [
            f"{u}.bias" for u, m in units if m._parameters.get("bias") is not None] + [
            f"{s.name} {'×'.join(map(str, s.shape))}" for s in loose]
        raise InterfaceError(
            f"no tensor of the model could be matched to the case's {', '.join(missing)} (its tensors: "
            f"{', '.join(tensors) or 'none'}; matched so far: {mapping.describe() or 'nothing'}); an instructor's "
            "declaration can name them: {\"LSTM\": {\"parameters\": {\"" + missing[0] + "\": \"…\"}}}")
    return mapping


# ----------------------------------------------------------------------------------------
# Reading p and h during forward
# ----------------------------------------------------------------------------------------

FACTORIES = {torch.zeros, torch.ones, torch.empty, torch.randn, torch.rand, torch.full}


def caller() -> str:
    """Where the student's code made a tensor: `file line N: source`, from the innermost
    frame outside torch and this tool."""
    import linecache
    import sys
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "/torch/" not in name and not name.endswith(("learn_adapt.py", "learn_answers.py")):
            line = linecache.getline(name, frame.f_lineno).strip()
            return f"{name.rpartition('/')[2]} line {frame.f_lineno}: `{line}`"
        frame = frame.f_back
    return "the model"


def batch_size_hint(made: list[tuple[tuple[int, ...], str]], n: int, h: int) -> str | None:
    """A state made with a size other than the batch's (`torch.zeros(H, H)` for N×H):
    the usual cause of a shape error in a forward that works when N happens to be H."""
    for shape, where in made:
        if len(shape) == 2 and shape[1] == h and shape[0] != n:
            return (f"forward makes a {shape[0]}×{shape[1]} tensor ({where}) where the batch needs {n}×{h}: "
                    f"its first size must be the batch size (x.shape[0]), not a fixed {shape[0]}")
    return None


class Capture(TorchFunctionMode):
    """Watches every torch operation of a forward pass for the prediction layer: the
    operation that multiplies by W_ph gives h (its other operand), and the one that adds
    b_p (or F.linear with both) gives the scores p — before any softmax the student's
    forward applies. Views of W_ph (`.T`, `.t()`) are followed."""

    def __init__(self, weight: torch.Tensor | None, bias: torch.Tensor | None, n: int, h_size: int, k: int):
        super().__init__()
        self.weights = [weight] if weight is not None else []
        self.bias = bias
        self.n, self.h_size, self.k = n, h_size, k
        self.partial: list[torch.Tensor] = []
        self.p: torch.Tensor | None = None
        self.h: torch.Tensor | None = None
        self.made: list[tuple[tuple[int, ...], str]] = []  # tensors made from sizes: shape, where


    def involves(self, pool: list[torch.Tensor], tensors: list[torch.Tensor]) -> bool:
        return any(t is w for t in tensors for w in pool)

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func in FACTORIES and isinstance(out, torch.Tensor):
            self.made.append((tuple(out.shape), caller()))
        tensors = [a for a in list(args) + list(kwargs.values()) if isinstance(a, torch.Tensor)]
        if not isinstance(out, torch.Tensor) or not tensors:
            return out
        if self.involves(self.weights, tensors):
            others = [t for t in tensors if not self.involves(self.weights, [t]) and t is not self.bias]
            if len(tensors) == 1:
                self.weights.append(out)  # a view of W_ph
                return out
            h = next((t for t in others if tuple(t.shape) == (self.n, self.h_size)), None)
            if h is not None and tuple(out.shape) == (self.n, self.k):
                self.h = h
                if self.bias is None or self.involves([self.bias], tensors):
                    self.p = out
                else:
                    self.partial.append(out)
        elif self.bias is not None and self.involves([self.bias], tensors) and self.involves(self.partial, tensors):
            if tuple(out.shape) == (self.n, self.k):
                self.p = out
        return out


def looks_like_probabilities(t: torch.Tensor) -> bool:
    with torch.no_grad():
        return bool(t.dim() == 2 and (t >= 0).all() and (t <= 1).all()
                    and torch.allclose(t.sum(dim=1), torch.ones(t.shape[0], dtype=t.dtype), atol=1e-9))


def scores_and_state(result: Any, capture: Capture, n: int, h_size: int, k: int, entry: str) -> tuple[Any, Any, str | None]:
    """(p, h, a note) from what forward returned and what Capture saw."""
    returned = list(result) if isinstance(result, (tuple, list)) else [result]
    flat = [t for t in returned if isinstance(t, torch.Tensor)]
    p_ret = next((t for t in flat if tuple(t.squeeze().shape) == tuple(torch.empty(n, k).squeeze().shape)
                  and t.numel() == n * k), None)
    h_ret = next((t for t in flat if t is not p_ret and t.numel() == n * h_size), None)
    documented = (len(returned) == 2 and p_ret is returned[0] and h_ret is returned[1])
    if documented and not (capture.p is not None and looks_like_probabilities(p_ret)):
        return p_ret, h_ret, None
    p = capture.p if capture.p is not None else p_ret
    h = capture.h if capture.h is not None else h_ret
    if p is None:
        raise InterfaceError(f"{entry}.forward returned {describe(result)}; the scores p ({n}×{k}) could not be read "
                             "at the prediction layer either")
    if h is None:
        raise InterfaceError(f"{entry}.forward returned {describe(result)}; h(T) ({n}×{h_size}) could not be read "
                             "at the prediction layer either")
    what = describe(result)
    if p_ret is not None and capture.p is not None and p_ret is not capture.p and looks_like_probabilities(p_ret):
        note = (f"{entry}.forward returns probabilities ({what}, rows summing to 1) where the scores p were "
                "expected: p was read at the prediction layer, before the softmax")
    elif p is capture.p:
        note = f"{entry}.forward returns {what}: p and h were read at the prediction layer"
    else:
        note = f"{entry}.forward returns {what}: h was read at the prediction layer"
    return p, h, note


def describe(result: Any) -> str:
    """What a forward returned, without its sizes (the report groups cases by it)."""
    if isinstance(result, torch.Tensor):
        return f"one {result.dim()}-D tensor"
    if isinstance(result, (tuple, list)):
        return f"a {type(result).__name__} of {len(result)}"
    return f"a {type(result).__name__}"


# ----------------------------------------------------------------------------------------
# Networks: the generator and the discriminator
# ----------------------------------------------------------------------------------------

def parameter_layers(net: nn.Module) -> list[tuple[str, nn.Module]]:
    """The layers that have parameters of their own, in order: what the case's layer
    numbers count once layers without parameters (activations, Dropout) are set aside."""
    return [(path, m) for path, m in net.named_modules() if path and any(True for _ in m.parameters(recurse=False))]


def case_layers(parameter_names: list[str]) -> list[tuple[str, str]]:
    """The case's layers with parameters: (prefix, "linear" or "norm"), by layer number."""
    groups: dict[str, set[str]] = {}
    for name in parameter_names:
        prefix, _, leaf = name.rpartition(".")
        groups.setdefault(prefix, set()).add(leaf)
    return [(p, "norm" if "gamma" in leaves else "linear") for p, leaves in sorted(groups.items(), key=lambda i: int(i[0]))]


def weight_of(module: nn.Module) -> torch.Tensor | None:
    """A linear layer's weight: `weight`, or a student's own `W` / `w` (with `b` for its
    bias), when the layer's own parameters are that weight and at most a bias."""
    own = module._parameters
    names = {n.lower() for n in own}
    if linear_like(module):
        return own["weight"]
    weights = [n for n in own if n.lower() in ("w", "weight") and isinstance(own[n], torch.Tensor)
               and own[n].dim() == 2]
    if len(weights) == 1 and names <= {"w", "weight", "b", "bias"} and len(names) == len(own):
        return own[weights[0]]
    return None


def layer_kind(module: nn.Module) -> str:
    if isinstance(module, nn.modules.batchnorm._BatchNorm) or {"running_mean", "running_var"} & set(
            n for n, _ in module.named_buffers(recurse=False)) or "running_mean" in vars(module):
        return "norm"
    return "linear" if weight_of(module) is not None else type(module).__name__


def structure_text(layers: list[tuple[str, Any]], sizes: list[str], paths: bool = False) -> str:
    """`linear(2→6) → linear(6→2)`; with `paths`, each layer's path first (`fc1 linear(2→6)`)."""
    return " → ".join(f"{path + ' ' if paths else ''}{kind}{size}" for (path, kind), size in zip(layers, sizes))


def replace(net: nn.Module, path: str, new: nn.Module) -> None:
    parent_path, _, name = path.rpartition(".")
    setattr(net.get_submodule(parent_path) if parent_path else net, name, new)


def leaves(module: nn.Module) -> list[nn.Module]:
    """A Sequential's layers with nested Sequentials (`*block(…)` written as blocks) opened."""
    if isinstance(module, nn.Sequential):
        return [leaf for child in module for leaf in leaves(child)]
    return [module]


def has_parameters(module: nn.Module) -> bool:
    return any(True for _ in module.parameters())


def blocks_of(modules: list[nn.Module]) -> tuple[list[nn.Module], list[list[nn.Module]]]:
    """(what comes before the first linear layer, the blocks that each start at one)."""
    head: list[nn.Module] = []
    blocks: list[list[nn.Module]] = []
    for m in modules:
        if has_parameters(m) and layer_kind(m) == "linear":
            blocks.append([m])
        elif blocks:
            blocks[-1].append(m)
        else:
            head.append(m)
    return head, blocks


def signature(block: list[nn.Module]) -> tuple[str, ...]:
    return tuple(layer_kind(m) for m in block if has_parameters(m))


def rebuild_depth(net: nn.Module, wanted: list[tuple[str, str]], entry: str) -> tuple[nn.Module, str | None]:
    """A Sequential with its depth written in (the course's 128 → 256 → 512 → 1024),
    at the case's depth: its first and last blocks kept, its middle blocks taken in
    order and the last of them repeated (or dropped) to the case's count."""
    path, body = body_of(net)
    if not isinstance(body, nn.Sequential):
        return net, None
    head, blocks = blocks_of(leaves(body))
    case_blocks: list[list[str]] = []
    for _, kind in wanted:
        if kind == "linear" or not case_blocks:
            case_blocks.append([kind])
        else:
            case_blocks[-1].append(kind)
    middle, case_middle = blocks[1:-1], case_blocks[1:-1]
    if len(blocks) < 2 or len(case_blocks) < 2 or (case_middle and not middle):
        return net, None
    chosen = [blocks[0], *(middle[min(k, len(middle) - 1)] for k in range(len(case_middle))), blocks[-1]]
    if [signature(b) for b in chosen] != [tuple(b) for b in case_blocks]:
        return net, None
    rebuilt = nn.Sequential(*head, *(copy.deepcopy(m) for block in chosen for m in block))
    if path:
        replace(net, path, rebuilt)
    else:
        net = rebuilt
    note = (f"{entry} has {len(blocks) - 1} hidden layers written in, the case has {len(case_blocks) - 1}: its own "
            "blocks were repeated or dropped to the case's depth") if len(blocks) != len(case_blocks) else None
    return net, note


def settings_notes(path: str, module: nn.Module, settings: dict[str, float]) -> list[str]:
    """A BatchNorm whose eps or momentum differs from the case's, with the usual cause."""
    notes = []
    eps, momentum = getattr(module, "eps", None), getattr(module, "momentum", None)
    if "eps" in settings and isinstance(eps, float) and abs(eps - settings["eps"]) > 1e-12:
        why = (": BatchNorm1d(n, 0.8) gives 0.8 to eps, its second argument (momentum is the third)"
               if eps >= 1e-2 else "")
        notes.append(f"layer {path} ({type(module).__name__}) has eps={eps:g}, the case's is {settings['eps']:g}{why}")
    if "momentum" in settings and isinstance(momentum, float) and abs(momentum - settings["momentum"]) > 1e-12:
        why = (": PyTorch's momentum is the weight of the new batch, running = (1 − m)·running + m·batch "
               "(Keras's 0.8 or 0.99 is PyTorch's 0.2 or 0.01)" if momentum > 0.5 else "")
        notes.append(f"layer {path} ({type(module).__name__}) has momentum={momentum:g}, the case's is "
                     f"{settings['momentum']:g}{why}")
    return notes


def forward_order(net: nn.Module, x: torch.Tensor) -> list[str] | None:
    """The network's layers with parameters in the order its forward first calls them
    (an MLP whose `self.out` is made before its hidden layers), or None when a forward
    on `x` fails or does not call each of them."""
    layers = parameter_layers(net)
    calls: list[str] = []
    handles = [m.register_forward_hook(lambda module, inputs, output, path=path: calls.append(path))
               for path, m in layers]
    try:
        with torch.no_grad():
            net(x)
    except Exception:
        return None
    finally:
        for handle in handles:
            handle.remove()
    order = list(dict.fromkeys(calls))
    return order if sorted(order) == sorted(p for p, _ in layers) else None


def fit_network(net: nn.Module, parameter_names: list[str], shapes: dict[str, tuple[int, int]],
                entry: str, settings: dict[str, float] | None = None, *, resize: bool = True,
                order: list[str] | None = None) -> tuple[nn.Module, dict[str, str], list[str]]:
    """Matches the case's layers to the student's by counting layers with parameters
    (in `order`, the order forward runs them, when given); rebuilds a network whose
    depth or sizes are written in at the case's (the student's own layer types and
    settings kept), unless `resize` is False (a network built from the case's own sizes:
    a size that differs is the student's mistake, and binding its parameters names it).
    Returns (the network, case prefix → student path, notes)."""
    wanted = case_layers(parameter_names)
    notes: list[str] = []

    def layers_now() -> list[tuple[str, nn.Module]]:
        have = parameter_layers(net)
        if order is not None and sorted(order) == sorted(p for p, _ in have):
            return sorted(have, key=lambda layer: order.index(layer[0]))
        return have

    if resize and [k for _, k in wanted] != [layer_kind(m) for _, m in layers_now()]:
        net, note = rebuild_depth(net, wanted, entry)
        notes += [note] if note else []
    have = layers_now()
    if [p for p, _ in have] != [p for p, _ in parameter_layers(net)]:
        notes.append(f"{entry}: its forward runs its layers in the order {', '.join(p for p, _ in have)}, not the "
                     "order they were made in: the case's layers were matched in the order forward runs them")
    kinds = [layer_kind(m) for _, m in have]
    if [k for _, k in wanted] != kinds:
        case_sizes = [f"({shapes[p + '.w'][1]}→{shapes[p + '.w'][0]})" if k == "linear" else f"({shapes[p + '.gamma'][1]})"
                      for p, k in wanted]
        own = [f"({weight_of(m).shape[1]}→{weight_of(m).shape[0]})" if k == "linear"
               else (f"({m.weight.numel()})" if isinstance(getattr(m, "weight", None), torch.Tensor) else "")
               for (_, m), k in zip(have, kinds)]
        raise InterfaceError(
            f"{entry}: the case's network is {structure_text(wanted, case_sizes)}, the student's is "
            f"{structure_text(list(zip([p for p, _ in have], kinds)), own, paths=True) or 'nothing'} (layers with "
            "parameters): it cannot be run on this case")
    resized = []
    for (prefix, kind), (path, module) in zip(wanted, have):
        if kind == "linear":
            out_f, in_f = shapes[prefix + ".w"]
            weight = weight_of(module)
            if resize and tuple(weight.shape) not in ((out_f, in_f), (in_f, out_f)):
                bias = module._parameters.get("bias") is not None
                new = nn.Linear(in_f, out_f, bias=bias) if isinstance(module, nn.Linear) else type(module)(in_f, out_f)
                replace(net, path, new.to(weight.dtype))
                resized.append(f"{path} {weight.shape[1]}→{weight.shape[0]} as {in_f}→{out_f}")
        else:
            notes += settings_notes(path, module, settings or {})
            features = shapes[prefix + ".gamma"][1]
            if resize and isinstance(module, nn.BatchNorm1d) and module.num_features != features:
                new = nn.BatchNorm1d(features, eps=module.eps, momentum=module.momentum, affine=module.affine,
                                     track_running_stats=module.track_running_stats)
                replace(net, path, new.double())
                resized.append(f"{path} {module.num_features} as {features}")
    if resized:
        notes.append(f"{entry} has its sizes written in: its layers were rebuilt at the case's sizes with its own "
                     f"layer types and settings ({'; '.join(resized)})")
    return net, {prefix: path for (prefix, _), (path, _) in zip(wanted, layers_now())}, notes


def body_of(net: nn.Module) -> tuple[str, nn.Module]:
    """The innermost module holding every layer with parameters (the `nn.Sequential`
    a class wraps), for a forward that reshapes to hard-coded image sizes."""
    paths = [p for p, _ in parameter_layers(net)]
    best = ("", net)
    for path, module in net.named_modules():
        if path and all(p.startswith(path + ".") for p in paths):
            if len(path) > len(best[0]):
                best = (path, module)
    return best


def last_layer_output(net: nn.Module, path: str) -> tuple[list[torch.Tensor], Any]:
    """A forward hook on the layer at `path` that keeps its outputs."""
    seen: list[torch.Tensor] = []
    handle = net.get_submodule(path).register_forward_hook(lambda m, i, o: seen.append(o))
    return seen, handle
