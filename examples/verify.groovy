// Run by qforge's own build after it builds this project (maven-invoker-plugin's post-build hook);
// a project of your own does not need this file. Checks what the generate-rtl goal wrote.
def out = new File(basedir, 'rtl-out')
def dequant = 'GroupDequantizer_l8_g32_sfix16_12'
def fir = 'Fir_i12_o12_f14_half_even_tm1024_4096_10240_4096_m1024'
assert new File(out, "dequant/${dequant}.v").text.contains("module ${dequant} (")
assert new File(out, 'dequant/filelist.f').text.readLines().last() == "${dequant}.v"
assert new File(out, "fir/${fir}.v").text.contains("module ${fir} (")
assert new File(out, 'fir/filelist.f').text.readLines().last() == "${fir}.v"
for (d in ['dequant', 'fir']) {
    assert new File(out, "${d}/report.json").isFile()
    assert new File(out, "${d}/report.txt").isFile()
    assert new File(out, "${d}/report.html").text.contains('<svg class="bars"')
}
// the generated Verilog is lint-clean and latch-free, as every qforge library block is (dsl's LintCleanTest)
def run = { File dir, List cmd ->
    def p = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).redirectErrorStream(true).start()
    p.outputStream.close()
    def text = p.inputStream.text
    [p.waitFor(), text]
}
for (d in [[name: 'dequant', top: dequant], [name: 'fir', top: fir]]) {
    def dir = new File(out, d.name)
    def files = new File(dir, 'filelist.f').text.readLines().findAll { it.trim() }
    def (code, text) = run(dir, ['verilator', '--lint-only', '-Wall', '--top-module', d.top] + files)
    assert code == 0 && text.trim().isEmpty() : "verilator --lint-only -Wall on ${d.top}:\n${text}"
    def script = "read_verilog ${files.join(' ')}; synth -top ${d.top}; check -assert; select -assert-none t:\$_DLATCH_* t:\$dlatch t:\$_SR_* t:\$sr"
    (code, text) = run(dir, ['yosys', '-q', '-p', script])
    assert code == 0 : "yosys synth of ${d.top}:\n${text}"
}

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 9, Failures: 0, Errors: 0, Skipped: 0')   // both co-simulation tests ran, none skipped
return true
