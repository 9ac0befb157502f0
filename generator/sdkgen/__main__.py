from sdkgen.cli import run

run()
