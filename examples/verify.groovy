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
}
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 9, Failures: 0, Errors: 0, Skipped: 0')   // both co-simulation tests ran, none skipped
return true
