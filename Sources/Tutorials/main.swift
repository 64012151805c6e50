print("tutorials")
