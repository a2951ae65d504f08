"""`python main.py spec|check|discover|read ...`: the same entry point as `source-paycor`."""

from source_paycor.run import run

if __name__ == "__main__":
    run()
